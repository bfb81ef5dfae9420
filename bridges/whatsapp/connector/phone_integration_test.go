//go:build integration

package connector_test

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

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
