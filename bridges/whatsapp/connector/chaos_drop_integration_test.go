//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// TestChaosNetworkDrop drops the fake WhatsApp's connection while messages flow both ways and
// gives it back: the login must report TRANSIENT_DISCONNECT, reconnect by itself (as whatsmeow
// does) and catch up; every message must arrive once and in order. Contacts' messages wait on
// WhatsApp meanwhile; the user's wait in the bridge for the connection and then go out.
func TestChaosNetworkDrop(t *testing.T) {
	messages, _, err := loadtest.ChaosSize()
	if err != nil {
		t.Fatal(err)
	}
	drop, err := loadtest.ChaosDrop()
	if err != nil {
		t.Fatal(err)
	}
	s := login(t, "Drop")
	waitState(t, s.jid.User, status.StateConnected)
	target := newWATarget(t, s)
	target.deliver = true
	// Whatever happens, the network is back for the next tests.
	t.Cleanup(func() { _ = net.Restore(context.Background()) })
	fault := loadtest.NetworkDrop(net, drop)
	cut := fault.Break
	fault.Break = func(ctx context.Context) error {
		if err := cut(ctx); err != nil {
			return err
		}
		return stateBecomes(s.jid.User, status.StateTransientDisconnect)
	}
	loadtest.RunChaos(t, "whatsapp-network-drop", loadtest.ChaosOptions{
		Target: target, User: s.u.Client, Direction: loadtest.BothWays,
		Messages: messages, Portals: 4,
		Fault: fault,
	})
	if err := stateBecomes(s.jid.User, status.StateConnected); err != nil {
		t.Error(err)
	}
	if n := net.Pending(s.jid); n != 0 {
		t.Errorf("%d messages still wait on WhatsApp for the bridge", n)
	}
}

// stateBecomes waits up to 20 s for the in-process login's latest bridge state to be want.
func stateBecomes(loginID string, want status.BridgeStateEvent) error {
	var got status.BridgeStateEvent
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ul := bridge.Login(loginID); ul != nil {
			if got = ul.BridgeState.GetPrev().StateEvent; got == want {
				return nil
			}
		}
	}
	return fmt.Errorf("bridge state of login %s is %q, want %q", loginID, got, want)
}
