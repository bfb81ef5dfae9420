//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/connector"
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

// TestGapRecoveryAfterDowntime: updates that happen while the bridge is disconnected — an edit,
// which chat history cannot show, and a new message — arrive after it reconnects, because the
// update state (pts) is stored with the login and the bridge asks for the difference.
func TestGapRecoveryAfterDowntime(t *testing.T) {
	s := login(t, "Gus")
	peer, portal, ghost, helloID, hello := chatWith(t, s, "Hana")
	ul := bridge.Login(itoa(s.acct.User.ID))
	ctx := context.Background()
	// The state must be in the database, not only in memory: a restarted bridge reads it there.
	// The pts is stored once the message's lane has finished, just after Matrix shows it.
	var meta *connector.LoginMetadata
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		stored, err := bridge.Bridge.DB.UserLogin.GetByID(ctx, ul.ID)
		if err != nil || stored == nil {
			t.Fatalf("read the login from the database: %v", err)
		}
		meta = stored.Metadata.(*connector.LoginMetadata)
		if meta.Updates.Known && meta.Updates.Pts != 0 && len(meta.Session) != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("session or update state not stored in the database within 10 s: known %v, pts %d, %d session bytes",
				meta.Updates.Known, meta.Updates.Pts, len(meta.Session))
		}
	}

	ul.Client.Disconnect()
	if err := net.DeliverEdit(ctx, s.acct, peer, helloID, "hello (edited while you were away)"); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Deliver(ctx, s.acct, peer, "sent while you were away"); err != nil {
		t.Fatal(err)
	}

	c := s.u.Cursor()
	ul.Client.Connect(ul.Log.WithContext(ctx))
	s.u.WaitFor(t, portal, c, "the edit made during downtime", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == ghost && m.NewContent != nil && m.NewContent.Body == "hello (edited while you were away)" && m.RelatesTo.GetReplaceID() == hello.ID
	})
	s.u.WaitFor(t, portal, c, "the message sent during downtime", matrixtest.MessageFrom(ghost, "sent while you were away"))
	// History catch-up and getDifference both see the missed message: it must appear once.
	time.Sleep(500 * time.Millisecond)
	if n := countBody(s.u, portal, "sent while you were away"); n != 1 {
		t.Errorf("the missed message appeared %d times, want once", n)
	}
}

func countBody(u *matrixtest.User, room id.RoomID, body string) int {
	n := 0
	for _, s := range u.Seen(room) {
		if s.Event.Type == event.EventMessage && s.Event.Content.AsMessage().Body == body {
			n++
		}
	}
	return n
}

// TestQuickReconnects: reconnecting several times in a row, faster than a connection winds
// down, leaves the login connected and working: messages go out and missed ones come in.
func TestQuickReconnects(t *testing.T) {
	s := login(t, "Kai")
	peer, portal, ghost, _, _ := chatWith(t, s, "Lux")
	ul := bridge.Login(itoa(s.acct.User.ID))
	for i := 0; i < 5; i++ {
		ul.Client.Disconnect()
		ul.Client.Connect(ul.Log.WithContext(context.Background()))
	}
	net.AddHistory(s.acct, peer, "sent during the reconnects")
	c := s.u.Cursor()
	ul.Client.Disconnect()
	ul.Client.Connect(ul.Log.WithContext(context.Background()))
	waitState(t, s.acct, status.StateConnected)
	s.u.WaitFor(t, portal, c, "the message sent during the reconnects", matrixtest.MessageFrom(ghost, "sent during the reconnects"))
	s.u.SendText(t, portal, "still here")
	if got := sentOf(t, "message"); got.Text != "still here" || got.To != peer.ID {
		t.Errorf("sent %+v, want the text to Lux (%d)", got, peer.ID)
	}
}
