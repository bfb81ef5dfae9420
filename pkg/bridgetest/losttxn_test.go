//go:build integration

package bridgetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestSkippedTransactionIsCaughtUp: a homeserver that marks a transaction done without
// delivering it (Synapse's recoverer can, see pkg/bridgekit/ack/gap.go) leaves a gap in the
// transaction numbers. The next transaction shows the gap; the bridge reads the portal's
// timeline, sends the message it never got, and only then the new one, each once.
func TestSkippedTransactionIsCaughtUp(t *testing.T) {
	u := stack.NewUser(t, "gapuser")
	room := managementRoom(t, u, onPG)
	login := "gina-" + onPG.Name
	loginFake(t, u, onPG, pgNet, room, login)
	c := u.Cursor()
	if _, err := pgNet.Deliver(context.Background(), login, "dora", "hi from dora"); err != nil {
		t.Fatal(err)
	}
	portal := u.WaitInvite(t, c, "an invite to dora's portal", nil)
	u.Join(t, portal)
	u.WaitFor(t, portal, c, "dora's message", matrixtest.MessageFrom(onPG.GhostMXID("dora"), "hi from dora"))
	u.SendText(t, portal, "before the gap")
	if sent, err := pgNet.WaitSent(matrixtest.DefaultTimeout); err != nil || sent.Text != "before the gap" {
		t.Fatalf("first message: got %+v, %v", sent, err)
	}

	lost := pgNet.LoseNextTransaction()
	u.SendText(t, portal, "in the lost transaction")
	select {
	case <-lost:
	case <-time.After(matrixtest.DefaultTimeout):
		t.Fatal("the homeserver sent no transaction with the message")
	}
	u.SendText(t, portal, "after the gap")
	for _, want := range []string{"in the lost transaction", "after the gap"} {
		sent, err := pgNet.WaitSent(matrixtest.DefaultTimeout)
		if err != nil {
			t.Fatalf("waiting for %q: %v; bridge log tail:\n%s", want, err, onPG.LogTail(20))
		}
		if sent.Text != want {
			t.Fatalf("the fake network got %q, want %q next", sent.Text, want)
		}
	}
	if sent, err := pgNet.WaitSent(2 * time.Second); err == nil {
		t.Errorf("the fake network got %q once more: a message was sent twice", sent.Text)
	}
}
