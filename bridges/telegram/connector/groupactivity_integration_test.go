//go:build integration

package connector_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// typing matches a typing notification that lists (or, with want false, no longer lists) user.
func typing(user id.UserID, want bool) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		return x.Event.Type == event.EphemeralEventTyping && slices.Contains(x.Event.Content.AsTyping().UserIDs, user) == want
	}
}

// TestGroupTypingAndReceipts: people typing in a basic group or a supergroup show as typing in
// its room; the Matrix user's typing and read receipts in a supergroup reach Telegram.
func TestGroupTypingAndReceipts(t *testing.T) {
	s := login(t, "Tia")
	ada := net.AddUser("Ada", "", "", newPhone())
	ctx := context.Background()
	adaGhost := bridge.GhostMXID(itoa(ada.ID))

	chat := net.AddChat("Quiet club", "", ada, s.acct.User)
	c := s.u.Cursor()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "psst"); err != nil {
		t.Fatal(err)
	}
	chatRoom := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, chatRoom)
	s.u.WaitFor(t, chatRoom, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "psst"))
	if err := net.DeliverGroupTyping(ctx, s.acct, chat, nil, ada, true); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, chatRoom, c, "Ada typing in the group", typing(adaGhost, true))

	group := net.AddSupergroup("Loud club", "", ada, s.acct.User)
	c = s.u.Cursor()
	helloID, err := net.DeliverToChannel(ctx, group, ada, "HELLO")
	if err != nil {
		t.Fatal(err)
	}
	room := s.u.WaitInvite(t, c, "the supergroup's portal", nil)
	s.u.Join(t, room)
	hello := s.u.WaitFor(t, room, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "HELLO"))
	if err := net.DeliverGroupTyping(ctx, s.acct, nil, group, ada, true); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, room, c, "Ada typing in the supergroup", typing(adaGhost, true))
	c = s.u.Cursor()
	if err := net.DeliverGroupTyping(ctx, s.acct, nil, group, ada, false); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, room, c, "Ada no longer typing", typing(adaGhost, false))

	// A long timeout and an explicit stop, so that no stop from Synapse's timer reaches the
	// shared fake during another test.
	if _, err := s.u.Client.UserTyping(ctx, room, true, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "typing"); !got.Typing || got.ToChannel != group.ID {
		t.Errorf("typing sent = %+v, want typing in %d", got, group.ID)
	}
	if _, err := s.u.Client.UserTyping(ctx, room, false, 0); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "typing"); got.Typing || got.ToChannel != group.ID {
		t.Errorf("typing sent = %+v, want a stop in %d", got, group.ID)
	}
	if err := s.u.Client.MarkRead(ctx, room, hello.ID); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "read"); got.ID != helloID || got.ToChannel != group.ID {
		t.Errorf("read sent = %+v, want up to %d in %d", got, helloID, group.ID)
	}
}
