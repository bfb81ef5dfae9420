//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

var _ loadtest.Link = (*tgfake.Link)(nil)

// TestChaosNetworkDrop: the fake Telegram drops the account's connection in the middle of
// load both ways and takes no new one for MXB_CHAOS_DROP. The login must go
// TRANSIENT_DISCONNECT and back to CONNECTED, and every message must arrive once and in
// order: what contacts wrote meanwhile comes with the difference after the reconnection, what
// the user wrote waits for the connection (a send Telegram took but did not answer is sent
// again with the same random_id, which Telegram refuses as a repeat).
func TestChaosNetworkDrop(t *testing.T) {
	messages, _, err := loadtest.ChaosSize()
	if err != nil {
		t.Fatal(err)
	}
	drop, err := loadtest.ChaosDrop()
	if err != nil {
		t.Fatal(err)
	}
	const name = "telegram-network-drop"
	target := newTarget(t, name, bridge)
	link := net.Link(target.acct)
	login := itoa(target.acct.User.ID)
	fault := loadtest.NetworkDrop(link, drop)
	cut, restore := fault.Break, fault.Heal
	// A test that fails while the network is dropped gives it back for the next ones.
	var dropped, restored atomic.Bool
	t.Cleanup(func() {
		if dropped.Load() && !restored.Load() {
			_ = restore(context.Background())
		}
	})
	// The drop lands where it matters most: Telegram has taken a message and not answered.
	fault.Break = func(ctx context.Context) error {
		taken, release := net.HoldNextAnswer()
		defer release()
		select {
		case <-taken:
		case <-time.After(time.Minute):
			return fmt.Errorf("wait for a message in flight: none within a minute")
		}
		if err := cut(ctx); err != nil {
			return err
		}
		dropped.Store(true)
		release() // the answer goes to a closed connection
		return waitLoginState(ctx, login, status.StateTransientDisconnect, 20*time.Second)
	}
	fault.Heal = func(ctx context.Context) error {
		if err := restore(ctx); err != nil {
			return err
		}
		restored.Store(true)
		start := time.Now()
		if err := waitLoginState(ctx, login, status.StateConnected, time.Minute); err != nil {
			return err
		}
		t.Logf("%s: connected again %s after the network came back", name, time.Since(start).Round(10*time.Millisecond))
		return nil
	}
	loadtest.RunChaos(t, name, loadtest.ChaosOptions{
		Target: target, User: target.user.Client, Direction: loadtest.BothWays,
		Messages: messages, Portals: 4, Fault: fault,
	})
	// The message whose answer was lost was sent again on the new connection, and refused. A
	// drop longer than the bridge's wait for a connection fails that message's event instead
	// (Telegram has it all the same).
	n := net.RepeatedRandomIDs(target.acct)
	t.Logf("%s: %d send(s) refused as repeats after the reconnection", name, n)
	if n == 0 && drop < bridgeWait {
		t.Errorf("%s: no send was repeated after the drop; the message in flight was not sent again", name)
	}
}

// bridgeWait is how long the bridge lets a Matrix message wait for a lost connection
// (offlineWait in connstate.go).
const bridgeWait = 40 * time.Second

// waitLoginState polls the in-process bridge until the login's latest bridge state is want.
// It returns an error instead of failing the test: faults run outside the test's goroutine.
func waitLoginState(ctx context.Context, loginID string, want status.BridgeStateEvent, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var got status.BridgeStateEvent
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if ul := bridge.Login(loginID); ul != nil {
			if got = ul.BridgeState.GetPrev().StateEvent; got == want {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("wait for bridge state %s of login %s: still %q after %s", want, loginID, got, limit)
}
