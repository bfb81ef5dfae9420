//go:build integration

package connector_test

import (
	"context"
	"testing"

	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestTextBothWays: a Telegram user's message opens a portal where they appear as a named
// ghost, and the Matrix user's answer reaches them through real MTProto.
func TestTextBothWays(t *testing.T) {
	s := login(t, "Uma")
	peer := net.AddUser("Ann", "Lee", "annlee", newPhone())
	c := s.u.Cursor()
	if _, err := net.Deliver(context.Background(), s.acct, peer, "hello from telegram"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "an invite to the private chat's portal", nil)
	s.u.Join(t, portal)
	ghost := bridge.GhostMXID(itoa(peer.ID))
	s.u.WaitFor(t, portal, c, "Ann's message", matrixtest.MessageFrom(ghost, "hello from telegram"))
	member := s.u.WaitFor(t, portal, c, "Ann's ghost", matrixtest.Membership(ghost, event.MembershipJoin))
	if name := member.Content.AsMember().Displayname; name != "Ann Lee" {
		t.Errorf("ghost name %q, want Ann Lee", name)
	}

	s.u.SendText(t, portal, "hi Ann")
	sent, err := net.WaitSent(matrixtest.DefaultTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if sent.From != s.acct.User.ID || sent.To != peer.ID || sent.Text != "hi Ann" {
		t.Errorf("Telegram got %+v, want hi Ann from %d to %d", sent, s.acct.User.ID, peer.ID)
	}
}
