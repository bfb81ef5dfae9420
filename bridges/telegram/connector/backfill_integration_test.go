//go:build integration

package connector_test

import (
	"context"
	"testing"

	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestBackfillAndCatchUp: a new portal is filled with the chat's earlier history, and messages
// sent while the bridge was disconnected are bridged when it reconnects.
func TestBackfillAndCatchUp(t *testing.T) {
	s := login(t, "Hal")
	peer := net.AddUser("Ivy", "", "", newPhone())
	for _, text := range []string{"old one", "old two", "old three"} {
		net.AddHistory(s.acct, peer, text)
	}
	c := s.u.Cursor()
	if _, err := net.Deliver(context.Background(), s.acct, peer, "live now"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the portal", nil)
	s.u.Join(t, portal)
	ghost := bridge.GhostMXID(itoa(peer.ID))
	var order []string
	for _, text := range []string{"old one", "old two", "old three", "live now"} {
		evt := s.u.WaitFor(t, portal, c, "the message "+text, matrixtest.MessageFrom(ghost, text))
		order = append(order, evt.ID.String())
	}
	seen := map[string]bool{}
	for _, evtID := range order {
		if seen[evtID] {
			t.Fatalf("two messages arrived as the same event: %v", order)
		}
		seen[evtID] = true
	}
	// The history is in order: each old message comes before the next one in the timeline.
	assertOrder(t, s.u, portal, ghost, "old one", "old two", "old three", "live now")

	// The bridge goes away; Ivy writes twice; the bridge comes back and catches up.
	ul := bridge.Login(itoa(s.acct.User.ID))
	ul.Client.Disconnect()
	net.AddHistory(s.acct, peer, "while you were away 1")
	net.AddHistory(s.acct, peer, "while you were away 2")
	c = s.u.Cursor()
	ul.Client.Connect(ul.Log.WithContext(context.Background()))
	waitState(t, s.acct, status.StateConnected)
	s.u.WaitFor(t, portal, c, "the first missed message", matrixtest.MessageFrom(ghost, "while you were away 1"))
	s.u.WaitFor(t, portal, c, "the second missed message", matrixtest.MessageFrom(ghost, "while you were away 2"))
}

// assertOrder checks that the ghost's messages with these bodies appear in this order.
func assertOrder(t *testing.T, u *matrixtest.User, room id.RoomID, ghost id.UserID, bodies ...string) {
	t.Helper()
	next := 0
	for _, seen := range u.Seen(room) {
		if next < len(bodies) && matrixtest.MessageFrom(ghost, bodies[next])(seen) && seen.Event.Content.AsMessage().Body == bodies[next] {
			next++
		}
	}
	if next != len(bodies) {
		t.Errorf("messages out of order: only the first %d of %v appeared in order", next, bodies)
	}
}
