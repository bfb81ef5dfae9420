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

// notice matches an m.notice from sender with exactly body.
func notice(sender id.UserID, body string) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Type == event.EventMessage && x.Event.Sender == sender && m.MsgType == event.MsgNotice && m.Body == body
	}
}

// TestServiceNoticesInPrivateChat: calls, screenshots and game scores in a private chat appear
// as notices from the ghost of who did them, and a Matrix reply to one reaches Telegram as a
// reply to the service message; an action the bridge does not show is skipped without
// breaking what follows.
func TestServiceNoticesInPrivateChat(t *testing.T) {
	s := login(t, "Sol")
	peer, portal, ghost, _, _ := chatWith(t, s, "Tia")
	ctx := context.Background()
	chat := &tg.PeerUser{UserID: peer.ID}
	missed := &tg.MessageActionPhoneCall{CallID: 1}
	missed.SetReason(&tg.PhoneCallDiscardReasonMissed{})
	ended := &tg.MessageActionPhoneCall{CallID: 2, Video: true}
	ended.SetReason(&tg.PhoneCallDiscardReasonHangup{})
	ended.SetDuration(125)

	tests := []struct {
		action tg.MessageActionClass
		want   string
	}{
		{missed, "Missed voice call from Tia."},
		{ended, "Video call from Tia ended after 2:05."},
		{&tg.MessageActionScreenshotTaken{}, "Tia took a screenshot of the chat."},
		{&tg.MessageActionGameScore{GameID: 9, Score: 1200}, "Tia scored 1200 in a game."},
		{&tg.MessageActionHistoryClear{}, "Tia cleared the chat history."},
	}
	var missedID int
	var missedEvt id.EventID
	for _, tt := range tests {
		c := s.u.Cursor()
		msgID, err := net.DeliverServiceIn(ctx, s.acct, chat, peer, tt.action, 0)
		if err != nil {
			t.Fatal(err)
		}
		evt := s.u.WaitFor(t, portal, c, tt.want, notice(ghost, tt.want))
		if tt.action == missed {
			missedID, missedEvt = msgID, evt.ID
		}
	}
	s.u.Reply(t, portal, missedEvt, "sorry, call you back")
	if got := sentOf(t, "message"); got.To != peer.ID || got.ReplyTo != missedID {
		t.Errorf("reply sent = %+v, want a reply to the call message %d", got, missedID)
	}

	c := s.u.Cursor()
	if _, err := net.DeliverServiceIn(ctx, s.acct, chat, peer, &tg.MessageActionBotAllowed{}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Deliver(ctx, s.acct, peer, "still here"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the message after the skipped action", matrixtest.MessageFrom(ghost, "still here"))
	s.u.Never(t, portal, c, time.Second, "a notice for the skipped action", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.EventMessage && x.Event.Content.AsMessage().MsgType == event.MsgNotice
	})
}

// TestServiceNoticesInGroup: a group's creation names the room, adds its members and is
// announced. (Its upgrade to a supergroup moves the room: TestGroupUpgradeKeepsRoom.)
func TestServiceNoticesInGroup(t *testing.T) {
	s := login(t, "Uri")
	ada := net.AddUser("Ada", "", "", newPhone())
	bob := net.AddUser("Bob", "", "", newPhone())
	chat := net.AddChat("Draft", "", ada, s.acct.User)
	ctx := context.Background()
	c := s.u.Cursor()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "new group!"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	s.u.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "new group!"))

	c = s.u.Cursor()
	create := &tg.MessageActionChatCreate{Title: "Trip to Rome", Users: []int64{ada.ID, bob.ID, s.acct.User.ID}}
	if _, err := net.DeliverServiceIn(ctx, s.acct, &tg.PeerChat{ChatID: chat.ID}, ada, create, 0); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the group's name", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateRoomName && x.Event.Content.AsRoomName().Name == "Trip to Rome"
	})
	s.u.WaitFor(t, portal, c, "Bob added", matrixtest.Membership(bridge.GhostMXID(itoa(bob.ID)), event.MembershipJoin))
	s.u.WaitFor(t, portal, c, "the creation notice", notice(adaGhost, `Ada created the group "Trip to Rome".`))
}
