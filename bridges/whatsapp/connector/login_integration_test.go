//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

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
