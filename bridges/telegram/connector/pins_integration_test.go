//go:build integration

package connector_test

import (
	"context"
	"slices"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// pinnedBy matches a change of the room's pinned events by sender ("" for anyone) to exactly want.
func pinnedBy(sender id.UserID, want ...id.EventID) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		if x.Event.Type != event.StatePinnedEvents || (sender != "" && x.Event.Sender != sender) {
			return false
		}
		return slices.Equal(x.Event.Content.AsPinnedEvents().Pinned, want)
	}
}

// TestPinsBothWays: a pin on Telegram (the service message and the update without a sender)
// changes the room's pinned events, and so does an unpin; pins and unpins by the Matrix user
// reach Telegram as messages.updatePinnedMessage.
func TestPinsBothWays(t *testing.T) {
	s := login(t, "Pam")
	peer, portal, ghost, helloID, hello := chatWith(t, s, "Quin")
	ctx := context.Background()
	chat := &tg.PeerUser{UserID: peer.ID}

	// Telegram → Matrix: Quin pins his hello (a service message: the pin comes from his ghost).
	c := s.u.Cursor()
	if _, err := net.DeliverServiceIn(ctx, s.acct, chat, peer, &tg.MessageActionPinMessage{}, helloID); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "Quin's pin of his hello", pinnedBy(ghost, hello.ID))

	// The user's own message, pinned from another Telegram app (an update without a sender),
	// then both unpinned.
	mine := s.u.SendText(t, portal, "pin this too")
	myMsg := sentOf(t, "message")
	c = s.u.Cursor()
	if err := net.DeliverPinned(ctx, s.acct, chat, true, myMsg.ID); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the second pin", pinnedBy("", hello.ID, mine))
	if err := net.DeliverPinned(ctx, s.acct, chat, false, helloID, myMsg.ID); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "both unpinned", pinnedBy(""))

	// Matrix → Telegram: the user pins the hello, then unpins it.
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StatePinnedEvents, "", &event.PinnedEventsEventContent{Pinned: []id.EventID{hello.ID}}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "pin"); got.ID != helloID || got.To != peer.ID || got.From != s.acct.User.ID {
		t.Errorf("pin sent = %+v, want message %d with %d", got, helloID, peer.ID)
	}
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StatePinnedEvents, "", &event.PinnedEventsEventContent{Pinned: []id.EventID{}}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "unpin"); got.ID != helloID || got.To != peer.ID {
		t.Errorf("unpin sent = %+v, want message %d with %d", got, helloID, peer.ID)
	}
}
