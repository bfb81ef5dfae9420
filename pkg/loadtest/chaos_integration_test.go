//go:build integration

package loadtest_test

import (
	"context"
	"fmt"
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
		Fault: loadtest.Fault{
			Name:  fmt.Sprintf("stop Synapse for %s", down),
			Break: func(context.Context) error { stack.Synapse.Stop(); return nil },
			Heal:  func(ctx context.Context) error { return stack.Synapse.Start(ctx) },
			Lasts: down,
		},
	})
}
