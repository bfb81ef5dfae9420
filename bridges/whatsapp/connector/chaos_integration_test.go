//go:build integration

package connector_test

import (
	"testing"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// TestChaosHomeserverDown stops Synapse while messages flow both ways between WhatsApp and
// Matrix, starts it again, and counts every message on the far side: none may be lost,
// duplicated or reordered. The bridge acknowledges a WhatsApp message once it is journalled and
// keeps trying to write it to Matrix until Synapse is back; it catches up on what Synapse lost.
func TestChaosHomeserverDown(t *testing.T) {
	messages, down, err := loadtest.ChaosSize()
	if err != nil {
		t.Fatal(err)
	}
	s := login(t, "Chaos")
	loadtest.RunChaos(t, "whatsapp-homeserver-down", loadtest.ChaosOptions{
		Target: newWATarget(t, s), User: s.u.Client, Direction: loadtest.BothWays,
		Messages: messages, Portals: 4,
		Fault: loadtest.HomeserverDown(stack.Synapse, down),
	})
}
