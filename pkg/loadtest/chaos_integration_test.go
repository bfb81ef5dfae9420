//go:build integration

package loadtest_test

import (
	"testing"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// TestChaosHomeserverDown stops Synapse while messages flow both ways through the fakenet
// bridge, starts it again, and counts every message on the far side: none may be lost,
// duplicated or reordered. Senders retry while Synapse is down, as clients and networks do.
func TestChaosHomeserverDown(t *testing.T) {
	messages, down, err := loadtest.ChaosSize()
	if err != nil {
		t.Fatal(err)
	}
	user := stack.NewUser(t, "chaos")
	loginFakenet(t, user, "chaosacct")
	target := newFakenetTarget(t, user, "chaosacct")
	loadtest.RunChaos(t, "fakenet-homeserver-down", loadtest.ChaosOptions{
		Target: target, User: user.Client, Direction: loadtest.BothWays,
		Messages: messages, Portals: 4,
		Fault: loadtest.HomeserverDown(stack.Synapse, down),
	})
}
