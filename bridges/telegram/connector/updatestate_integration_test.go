//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// ownActions sends three messages from Matrix into a room, edits the first and deletes the
// second, checking that each reaches Telegram.
func ownActions(t *testing.T, s *session, room id.RoomID, prefix string) {
	t.Helper()
	var events []id.EventID
	for _, text := range []string{prefix + " one", prefix + " two", prefix + " three"} {
		events = append(events, s.u.SendText(t, room, text))
		sentBy(t, s, "message")
	}
	s.u.Edit(t, room, events[0], prefix+" one, edited")
	sentBy(t, s, "edit")
	s.u.Redact(t, room, events[1])
	sentBy(t, s, "delete")
}

// groupWith opens the portal of a new basic group of the account and a new Telegram user, who
// created it and says hello in it.
func groupWith(t *testing.T, s *session, title, first, hello string) (*tg.User, *tg.Chat, id.RoomID, id.UserID) {
	t.Helper()
	creator := net.AddUser(first, "", "", newPhone())
	chat := net.AddChat(title, "", creator, s.acct.User)
	c := s.u.Cursor()
	if _, err := net.DeliverToChat(context.Background(), s.acct, chat, creator, hello); err != nil {
		t.Fatal(err)
	}
	room := s.u.WaitInvite(t, c, "the portal of "+title, nil)
	s.u.Join(t, room)
	ghost := bridge.GhostMXID(itoa(creator.ID))
	s.u.WaitFor(t, room, c, first+"'s hello", matrixtest.MessageFrom(ghost, hello))
	return creator, chat, room, ghost
}

// countEdits counts the edits in a room that change a message's text to body.
func countEdits(u *matrixtest.User, room id.RoomID, body string) int {
	n := 0
	for _, s := range u.Seen(room) {
		if m := s.Event.Content.AsMessage(); s.Event.Type == event.EventMessage && m.NewContent != nil && m.NewContent.Body == body {
			n++
		}
	}
	return n
}

// TestOwnSendsNeedNoDifference: Telegram numbers the account's own sends, edits and deletes
// in private chats and basic groups with its pts. The bridge applies the pts of its requests'
// answers, so a contact's next message is no gap: it arrives without an updates.getDifference,
// and neither it nor the user's own messages arrive twice.
func TestOwnSendsNeedNoDifference(t *testing.T) {
	s := login(t, "Pia")
	ctx := context.Background()
	peer, dm, ghost, _, _ := chatWith(t, s, "Quin")
	ada, chat, group, adaGhost := groupWith(t, s, "Ramblers", "Ada", "group hello")

	before := net.DifferenceCalls(s.acct)
	ownActions(t, s, dm, "dm")
	ownActions(t, s, group, "group")

	c := s.u.Cursor()
	if _, err := net.Deliver(ctx, s.acct, peer, "are you there?"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, dm, c, "Quin's question", matrixtest.MessageFrom(ghost, "are you there?"))
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "group, still there?"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, group, c, "Ada's question", matrixtest.MessageFrom(adaGhost, "group, still there?"))
	// A gap would be filled after gotd's gap timeout (half a second): give it time to show.
	time.Sleep(1500 * time.Millisecond)

	if after := net.DifferenceCalls(s.acct); after != before {
		t.Errorf("updates.getDifference was called %d times after the own sends, want none (%d before, %d after)", after-before, before, after)
	}
	for room, bodies := range map[id.RoomID][]string{
		dm:    {"hello", "dm one", "dm three", "are you there?"},
		group: {"group hello", "group one", "group three", "group, still there?"},
	} {
		for _, body := range bodies {
			if n := countBody(s.u, room, body); n != 1 {
				t.Errorf("%q appeared %d times, want once", body, n)
			}
		}
	}
	for room, body := range map[id.RoomID]string{dm: "dm one, edited", group: "group one, edited"} {
		if n := countEdits(s.u, room, body); n != 1 {
			t.Errorf("the edit to %q appeared %d times, want once", body, n)
		}
	}
}
