//go:build integration

package connector_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

func TestLoginListsFlows(t *testing.T) {
	u := stack.NewUser(t, "flows")
	room := managementRoom(t, u)
	command(t, u, room, "login", "`qr`", "`phone`")
}

// TestLoginQR: the bot shows each QR code WhatsApp rotates in (as an image carrying the raw
// code, refreshed in place), and pairing completes the login with a connected bridge state.
func TestLoginQR(t *testing.T) {
	u := stack.NewUser(t, "qr")
	room := managementRoom(t, u)
	cli, img := startQR(t, u, room, "2@first-code")
	if msg := img.Content.AsMessage(); msg.MsgType != event.MsgImage || msg.URL == "" || msg.Info.MimeType != "image/png" {
		t.Errorf("QR code message is %s %q (%+v), want an uploaded PNG image", msg.MsgType, msg.URL, msg.Info)
	}
	png := u.Download(t, img.Content.AsMessage().URL)
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Errorf("QR image is not a PNG (%d bytes)", len(png))
	}

	c := u.Cursor()
	if err := cli.ShowQR("2@second-code"); err != nil {
		t.Fatal(err)
	}
	edit := u.WaitFor(t, room, c, "the refreshed QR code", func(s matrixtest.Seen) bool {
		msg := s.Event.Content.AsMessage()
		return s.Event.Sender == bridge.BotMXID() && msg.NewContent != nil && msg.NewContent.Body == "2@second-code"
	})
	if target := edit.Content.AsMessage().RelatesTo.GetReplaceID(); target != img.ID {
		t.Errorf("refreshed code edits %s, want the first QR message %s", target, img.ID)
	}

	jid := wafake.User(newPhone())
	c = u.Cursor()
	if err := cli.Pair(context.Background(), jid, "Quinn"); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "login success", matrixtest.MessageFrom(bridge.BotMXID(), "Successfully logged in as Quinn (+"+jid.User+")"))
	waitState(t, jid.User, status.StateConnected)
	ul := bridge.Login(jid.User)
	if ul.UserMXID != u.UserID {
		t.Errorf("login belongs to %s, want %s", ul.UserMXID, u.UserID)
	}
	if meta := ul.Metadata.(*connector.LoginMetadata); meta.DeviceJID != jid.User+":1@s.whatsapp.net" {
		t.Errorf("stored device JID %q", meta.DeviceJID)
	}
	command(t, u, room, "list-logins", jid.User)
}

func TestLoginPairingCode(t *testing.T) {
	u := stack.NewUser(t, "phone")
	room := managementRoom(t, u)
	prev := net.Latest()
	command(t, u, room, "login phone", "Please enter your Phone number")
	cli, err := net.WaitLatest(prev, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// WhatsApp hands out a pairing code once the connection shows its first QR code.
	if err = cli.ShowQR("2@unused"); err != nil {
		t.Fatal(err)
	}
	phone := newPhone()
	command(t, u, room, "+"+phone[:2]+" "+phone[2:5]+" "+phone[5:], "FAKE-CODE")
	if got := cli.PairPhoneNumber(); got != phone {
		t.Errorf("pairing code requested for %q, want %q", got, phone)
	}
	c := u.Cursor()
	if err = cli.Pair(context.Background(), wafake.User(phone), "Pat"); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "login success", matrixtest.MessageFrom(bridge.BotMXID(), "Successfully logged in as Pat"))
	waitState(t, phone, status.StateConnected)
}

func TestLoginRejectsBadPhoneNumber(t *testing.T) {
	u := stack.NewUser(t, "badphone")
	room := managementRoom(t, u)
	command(t, u, room, "login phone", "Please enter your Phone number")
	command(t, u, room, "call me maybe", "Invalid value", "must start with +")
	command(t, u, room, "+12", "not a phone number", "country code")
}

func TestLoginQRTimeout(t *testing.T) {
	u := stack.NewUser(t, "timeout")
	room := managementRoom(t, u)
	cli, _ := startQR(t, u, room, "2@never-scanned")
	c := u.Cursor()
	if err := cli.QRTimeout(); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "the timeout notice", matrixtest.MessageFrom(bridge.BotMXID(), "Login failed", "timed out"))
	if cli.IsConnected() {
		t.Error("the abandoned login's connection is still open")
	}
}

// TestLoggedOutFromPhone: removing the linked device on the phone tells the user and marks the
// login as needing a new login.
func TestLoggedOutFromPhone(t *testing.T) {
	s := login(t, "Lou")
	waitState(t, s.jid.User, status.StateConnected)
	c := s.u.Cursor()
	s.cli.Emit(&events.LoggedOut{Reason: events.ConnectFailureLoggedOut})
	s.u.WaitFor(t, s.management, c, "the logged-out notice", matrixtest.MessageFrom(bridge.BotMXID(), "BAD_CREDENTIALS", "logged out from WhatsApp"))
	waitState(t, s.jid.User, status.StateBadCredentials)
}

// TestSeveralLoginsAndLogout: one Matrix user links two WhatsApp accounts, each with its own
// chats, and unlinking one removes the device and the login.
func TestSeveralLoginsAndLogout(t *testing.T) {
	first := login(t, "Two")
	u, room := first.u, first.management
	cli, second := linkQR(t, u, room, "Two Work")
	command(t, u, room, "list-logins", first.jid.User, second.User)

	// A contact writes to each account: two separate portals.
	peer := wafake.User(newPhone())
	c := u.Cursor()
	first.cli.Emit(wafake.Incoming(peer, peer, "Pal", wafake.Text("to the first account")))
	p1 := u.WaitInvite(t, c, "the first account's portal", nil)
	c = u.Cursor()
	cli.Emit(wafake.Incoming(peer, peer, "Pal", wafake.Text("to the second account")))
	p2 := u.WaitInvite(t, c, "the second account's portal", nil)
	if p1 == p2 {
		t.Fatalf("both accounts' chats with %s share portal %s", peer, p1)
	}

	command(t, u, room, "logout "+second.User, "")
	deadline := time.Now().Add(10 * time.Second)
	for bridge.Login(second.User) != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if bridge.Login(second.User) != nil {
		t.Fatal("the login still exists after logout")
	}
	if cli.IsConnected() {
		t.Error("the logged-out device is still connected")
	}
	if dev, err := bridge.Bridge.Network.(*connector.Connector).Devices.GetDevice(context.Background(), second.ToNonAD()); err == nil && dev != nil {
		t.Errorf("the device of the logged-out account is still in the store: %v", dev.ID)
	}
	reply := command(t, u, room, "list-logins", first.jid.User)
	if body := reply.Content.AsMessage().Body; strings.Contains(body, second.User) {
		t.Errorf("list-logins still shows the logged-out account: %s", body)
	}
}

// TestReconnectsWithBackoff: a connection that fails is retried until it works, and the bridge
// state says so along the way.
func TestReconnectsWithBackoff(t *testing.T) {
	s := login(t, "Ron")
	waitState(t, s.jid.User, status.StateConnected)
	ul := bridge.Login(s.jid.User)
	ul.Client.Disconnect()
	net.FailConnect = errors.New("network unreachable")
	ul.Client.Connect(ul.Log.WithContext(context.Background()))
	waitState(t, s.jid.User, status.StateTransientDisconnect)
	net.FailConnect = nil
	waitState(t, s.jid.User, status.StateConnected)
	if !s.cli.IsConnected() {
		t.Error("the client is not connected after the retry")
	}

	// A dropped connection is reported and recovers when whatsmeow reconnects.
	s.cli.Emit(&events.Disconnected{})
	waitState(t, s.jid.User, status.StateTransientDisconnect)
	s.cli.Emit(&events.Connected{})
	waitState(t, s.jid.User, status.StateConnected)
}

// TestPhoneOfflineWarning: a phone silent for weeks gets the user warned before WhatsApp
// unlinks the bridge, and the warning clears once the phone is active again.
func TestPhoneOfflineWarning(t *testing.T) {
	s := login(t, "Fon")
	waitState(t, s.jid.User, status.StateConnected)
	ul := bridge.Login(s.jid.User)
	ul.Metadata.(*connector.LoginMetadata).PhoneLastSeen = time.Now().Add(-20 * 24 * time.Hour).Unix()
	c := s.u.Cursor()
	s.cli.Emit(&events.Connected{})
	s.u.WaitFor(t, s.management, c, "the phone-offline warning", matrixtest.MessageFrom(bridge.BotMXID(), "wa-phone-offline", "last seen 20 days ago"))

	// The user sends something from the phone (device 0): the warning clears.
	peer := wafake.User(newPhone())
	msg := wafake.Incoming(peer, s.jid, "", wafake.Text("sent from my phone"))
	msg.Info.IsFromMe = true
	s.cli.Emit(msg)
	waitState(t, s.jid.User, status.StateConnected)
}
