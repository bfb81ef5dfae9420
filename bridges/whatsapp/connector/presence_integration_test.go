//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

func TestReceiptsAndTypingBothWays(t *testing.T) {
	s := login(t, "Max")
	ch, hello, helloEvt := openChat(t, s, "Ned", "ping")
	net.DrainSent()
	mine := s.u.SendText(t, ch.portal, "pong")
	myMsg := sent(t)

	c := s.u.Cursor()
	ch.cli.Emit(&events.Receipt{
		MessageSource: types.MessageSource{Chat: ch.peer, Sender: ch.peer},
		MessageIDs:    []types.MessageID{myMsg.ID},
		Timestamp:     time.Now(),
		Type:          types.ReceiptTypeRead,
	})
	s.u.WaitFor(t, ch.portal, c, "Ned's read receipt", func(x matrixtest.Seen) bool {
		if x.Event.Type != event.EphemeralEventReceipt {
			return false
		}
		_, ok := (*x.Event.Content.AsReceipt())[mine][event.ReceiptTypeRead][ch.ghost]
		return ok
	})

	c = s.u.Cursor()
	ch.cli.Emit(&events.ChatPresence{MessageSource: types.MessageSource{Chat: ch.peer, Sender: ch.peer}, State: types.ChatPresenceComposing})
	s.u.WaitFor(t, ch.portal, c, "Ned typing", func(x matrixtest.Seen) bool {
		if x.Event.Type != event.EphemeralEventTyping {
			return false
		}
		for _, u := range x.Event.Content.AsTyping().UserIDs {
			if u == ch.ghost {
				return true
			}
		}
		return false
	})

	// A long timeout and an explicit stop below: a stop from Synapse's timer would otherwise
	// reach the shared fake during another test.
	if _, err := s.u.Client.UserTyping(context.Background(), ch.portal, true, time.Minute); err != nil {
		t.Fatal(err)
	}
	if p, err := net.WaitPresence(matrixtest.DefaultTimeout); err != nil || p.Chat != ch.peer || p.State != types.ChatPresenceComposing {
		t.Errorf("presence sent = %+v, %v; want composing in %s", p, err, ch.peer)
	}
	if err := s.u.Client.MarkRead(context.Background(), ch.portal, helloEvt.ID); err != nil {
		t.Fatal(err)
	}
	r, err := net.WaitRead(matrixtest.DefaultTimeout)
	if err != nil || r.Chat != ch.peer || len(r.IDs) != 1 || r.IDs[0] != hello.Info.ID {
		t.Errorf("read receipt sent = %+v, %v; want %s in %s", r, err, hello.Info.ID, ch.peer)
	}
	if _, err := s.u.Client.UserTyping(context.Background(), ch.portal, false, 0); err != nil {
		t.Fatal(err)
	}
	if p, err := net.WaitPresence(matrixtest.DefaultTimeout); err != nil || p.Chat != ch.peer || p.State != types.ChatPresencePaused {
		t.Errorf("presence sent = %+v, %v; want paused in %s", p, err, ch.peer)
	}
}

// TestPresenceFromWhatsApp: the bridge subscribes to a contact who writes, and their online
// status shows as their ghost's presence.
func TestPresenceFromWhatsApp(t *testing.T) {
	s := login(t, "Pre")
	ch, _, _ := openChat(t, s, "Sol", "are you there?")
	if !s.cli.Subscribed(ch.peer) {
		t.Error("the bridge did not subscribe to the presence of a contact who wrote")
	}
	for _, tt := range []struct {
		unavailable bool
		want        event.Presence
	}{{false, event.PresenceOnline}, {true, event.PresenceOffline}} {
		s.cli.Emit(&events.Presence{From: ch.peer, Unavailable: tt.unavailable})
		deadline := time.Now().Add(matrixtest.DefaultTimeout)
		var got event.Presence
		for time.Now().Before(deadline) {
			if resp, err := s.u.Client.GetPresence(context.Background(), ch.ghost); err == nil {
				if got = resp.Presence; got == tt.want {
					break
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got != tt.want {
			t.Errorf("ghost presence %q after unavailable=%v, want %q", got, tt.unavailable, tt.want)
		}
	}
}
