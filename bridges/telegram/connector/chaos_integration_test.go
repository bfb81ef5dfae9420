//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// TestChaosKillNetworkToMatrix: Telegram contacts write while the bridge binary is killed
// (SIGKILL) and started again; every message must reach its room once and in order. What the
// dead bridge did not write to Matrix comes back with Telegram's difference, from the update
// state it stored only after handling.
func TestChaosKillNetworkToMatrix(t *testing.T) {
	chaosKill(t, "telegram-kill-to-matrix", loadtest.ToMatrix, false)
}

// TestChaosKillMatrixToNetwork: the user writes in the portals while the binary is killed and
// started again; every message must reach Telegram once and in order. Synapse sends the
// transaction the dead bridge never acknowledged again; a message Telegram had already taken
// is refused as a repeated random_id instead of being written twice. The kill lands where
// that matters: Telegram has taken a message and not answered yet.
func TestChaosKillMatrixToNetwork(t *testing.T) {
	chaosKill(t, "telegram-kill-to-telegram", loadtest.ToNetwork, true)
}

// chaosKill runs one direction's scenario against the binary; with midSend the kill waits
// until Telegram has taken a message whose answer the bridge has not had yet.
func chaosKill(t *testing.T, name string, dir loadtest.Direction, midSend bool) {
	messages, _, err := loadtest.ChaosSize()
	if err != nil {
		t.Fatal(err)
	}
	target := newTarget(t, name, binary)
	// A test that fails while the bridge is down leaves it running for the next ones.
	t.Cleanup(func() {
		select {
		case <-binary.Exited():
			if err := binary.Start(); err != nil {
				t.Error(err)
			}
		default:
		}
	})
	const down = 3 * time.Second
	loadtest.RunChaos(t, name, loadtest.ChaosOptions{
		Target: target, User: target.user.Client, Direction: dir,
		Messages: messages, Portals: 4,
		Fault: loadtest.Fault{
			Name: fmt.Sprintf("kill -9 the bridge for %s", down),
			Break: func(context.Context) error {
				if midSend {
					taken, release := net.HoldNextAnswer()
					defer release()
					select {
					case <-taken:
					case <-time.After(time.Minute):
						return fmt.Errorf("wait for a message in flight: none within a minute")
					}
				}
				if err := binary.Kill(); err != nil {
					return fmt.Errorf("kill the bridge: %w", err)
				}
				<-binary.Exited()
				return nil
			},
			Heal: func(ctx context.Context) error {
				if err := binary.Start(); err != nil {
					return fmt.Errorf("restart the bridge: %w", err)
				}
				return loadtest.WaitConnected(ctx, binary.AppserviceURL(), binary.ProvisioningSecret(), target.user.UserID)
			},
			Lasts: down,
		},
	})
}
