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

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

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
	net.SetFailConnect(errors.New("network unreachable"))
	ul.Client.Connect(ul.Log.WithContext(context.Background()))
	waitState(t, s.jid.User, status.StateTransientDisconnect)
	net.SetFailConnect(nil)
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
