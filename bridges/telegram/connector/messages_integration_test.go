//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
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

// chatWith opens a private-chat portal with a new Telegram user who says hello.
func chatWith(t *testing.T, s *session, first string) (peer *tg.User, portal id.RoomID, ghost id.UserID, helloID int, hello *event.Event) {
	t.Helper()
	peer = net.AddUser(first, "", "", newPhone())
	c := s.u.Cursor()
	helloID, err := net.Deliver(context.Background(), s.acct, peer, "hello")
	if err != nil {
		t.Fatal(err)
	}
	portal = s.u.WaitInvite(t, c, "the portal with "+first, nil)
	s.u.Join(t, portal)
	ghost = bridge.GhostMXID(itoa(peer.ID))
	hello = s.u.WaitFor(t, portal, c, first+"'s hello", matrixtest.MessageFrom(ghost, "hello"))
	return peer, portal, ghost, helloID, hello
}

func sentOf(t *testing.T, kind string) tgfake.Sent {
	t.Helper()
	got, err := net.WaitSent(matrixtest.DefaultTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != kind {
		t.Fatalf("Telegram got a %s (%+v), want a %s", got.Kind, got, kind)
	}
	return got
}

func TestRepliesEditsDeletesBothWays(t *testing.T) {
	s := login(t, "Vera")
	peer, portal, ghost, helloID, hello := chatWith(t, s, "Walt")
	ctx := context.Background()

	// Matrix → Telegram: a reply, its edit, its deletion.
	mine := s.u.Reply(t, portal, hello.ID, "hi back")
	sent := sentOf(t, "message")
	if sent.ReplyTo != helloID || sent.Text != "hi back" {
		t.Errorf("reply sent = %+v, want an answer to %d", sent, helloID)
	}
	s.u.Edit(t, portal, mine, "hi back!")
	if edit := sentOf(t, "edit"); edit.ID != sent.ID || edit.Text != "hi back!" || edit.To != peer.ID {
		t.Errorf("edit sent = %+v, want message %d changed to %q", edit, sent.ID, "hi back!")
	}
	s.u.Redact(t, portal, mine)
	if del := sentOf(t, "delete"); len(del.IDs) != 1 || del.IDs[0] != sent.ID {
		t.Errorf("delete sent = %+v, want message %d", del, sent.ID)
	}

	// Telegram → Matrix: a reply to the user's message, its edit, its deletion.
	c := s.u.Cursor()
	second := s.u.SendText(t, portal, "question?")
	q := sentOf(t, "message")
	replyID, err := net.DeliverReply(ctx, s.acct, peer, q.ID, "answer!")
	if err != nil {
		t.Fatal(err)
	}
	reply := s.u.WaitFor(t, portal, c, "Walt's reply", matrixtest.MessageFrom(ghost, "answer!"))
	if target := reply.Content.AsMessage().RelatesTo.GetReplyTo(); target != second {
		t.Errorf("Walt's reply points at %s, want %s", target, second)
	}
	if err = net.DeliverEdit(ctx, s.acct, peer, replyID, "answer, edited"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "Walt's edit", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == ghost && m.NewContent != nil && m.NewContent.Body == "answer, edited" && m.RelatesTo.GetReplaceID() == reply.ID
	})
	if err = net.DeliverDelete(ctx, s.acct, replyID); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the deletion of Walt's reply", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.EventRedaction && (x.Event.Redacts == reply.ID || x.Event.Content.AsRedaction().Redacts == reply.ID)
	})
}

func TestReceiptsTypingPresence(t *testing.T) {
	s := login(t, "Yuri")
	peer, portal, ghost, helloID, hello := chatWith(t, s, "Zoe")
	ctx := context.Background()

	mine := s.u.SendText(t, portal, "did you read this?")
	sent := sentOf(t, "message")
	c := s.u.Cursor()
	if err := net.DeliverRead(ctx, s.acct, peer, sent.ID); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "Zoe's read receipt", func(x matrixtest.Seen) bool {
		if x.Event.Type != event.EphemeralEventReceipt {
			return false
		}
		_, ok := (*x.Event.Content.AsReceipt())[mine][event.ReceiptTypeRead][ghost]
		return ok
	})

	c = s.u.Cursor()
	if err := net.DeliverTyping(ctx, s.acct, peer, true); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "Zoe typing", func(x matrixtest.Seen) bool {
		if x.Event.Type != event.EphemeralEventTyping {
			return false
		}
		for _, u := range x.Event.Content.AsTyping().UserIDs {
			if u == ghost {
				return true
			}
		}
		return false
	})

	if err := net.DeliverStatus(ctx, s.acct, peer, true); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	for {
		resp, err := s.u.Client.GetPresence(ctx, ghost)
		if err == nil && resp.Presence == event.PresenceOnline {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Zoe's ghost presence = %+v, %v; want online", resp, err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A long timeout and an explicit stop: a stop sent later by Synapse's timer would reach
	// the shared fake network during another test.
	if _, err := s.u.Client.UserTyping(ctx, portal, true, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "typing"); !got.Typing || got.To != peer.ID {
		t.Errorf("typing sent = %+v, want typing to %d", got, peer.ID)
	}
	if err := s.u.Client.MarkRead(ctx, portal, hello.ID); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "read"); got.ID != helloID || got.To != peer.ID {
		t.Errorf("read sent = %+v, want up to %d with %d", got, helloID, peer.ID)
	}
	if _, err := s.u.Client.UserTyping(ctx, portal, false, 0); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "typing"); got.Typing || got.To != peer.ID {
		t.Errorf("typing sent = %+v, want a stop to %d", got, peer.ID)
	}
}

// TestFloodWaitIsHonoured: when Telegram says FLOOD_WAIT, the bridge waits and the message
// still arrives, once.
func TestFloodWaitIsHonoured(t *testing.T) {
	s := login(t, "Flo")
	peer, portal, _, _, _ := chatWith(t, s, "Fay")
	net.FloodWaitNextSends(1, 1)
	start := time.Now()
	s.u.SendText(t, portal, "patience")
	got := sentOf(t, "message")
	if got.Text != "patience" || got.To != peer.ID {
		t.Errorf("sent %+v, want patience to %d", got, peer.ID)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("the message arrived after %s, before the 1 s FLOOD_WAIT was over", waited)
	}
	if extra, err := net.WaitSent(500 * time.Millisecond); err == nil {
		t.Errorf("the message was sent twice: also %+v", extra)
	}
}

// TestFormattingBothWays: entities (UTF-16 offsets) become HTML and back, mentions become pills.
func TestFormattingBothWays(t *testing.T) {
	s := login(t, "Fern")
	peer, portal, ghost, _, _ := chatWith(t, s, "Gil")
	ctx := context.Background()

	c := s.u.Cursor()
	_, err := net.DeliverFormatted(ctx, s.acct, peer, "👍 bold and you", []tg.MessageEntityClass{
		&tg.MessageEntityBold{Offset: 3, Length: 4},
		&tg.MessageEntityMentionName{Offset: 12, Length: 3, UserID: s.acct.User.ID},
		&tg.MessageEntityItalic{Offset: 100, Length: 5}, // out of range: ignored, never a crash
	})
	if err != nil {
		t.Fatal(err)
	}
	evt := s.u.WaitFor(t, portal, c, "the formatted message", matrixtest.MessageFrom(ghost, "👍 bold and you"))
	msg := evt.Content.AsMessage()
	if !strings.Contains(msg.FormattedBody, "<strong>bold</strong>") || !strings.Contains(msg.FormattedBody, s.u.UserID.String()) {
		t.Errorf("formatted body %q lacks the bold word or the pill to %s", msg.FormattedBody, s.u.UserID)
	}
	if msg.Mentions == nil || len(msg.Mentions.UserIDs) != 1 || msg.Mentions.UserIDs[0] != s.u.UserID {
		t.Errorf("mentions = %+v, want %s", msg.Mentions, s.u.UserID)
	}

	s.u.SendHTML(t, portal, "**bold** for Gil", `<b>bold</b> for <a href="https://matrix.to/#/`+ghost.String()+`">Gil</a>`)
	sent := sentOf(t, "message")
	if sent.Text != "bold for Gil" {
		t.Fatalf("Telegram text %q, want %q", sent.Text, "bold for Gil")
	}
	var bold, mention bool
	for _, e := range sent.Entities {
		switch e := e.(type) {
		case *tg.MessageEntityBold:
			bold = e.Offset == 0 && e.Length == 4
		case *tg.InputMessageEntityMentionName:
			u, _ := e.UserID.(*tg.InputUser)
			mention = e.Offset == 9 && e.Length == 3 && u != nil && u.UserID == peer.ID && u.AccessHash == peer.AccessHash
		}
	}
	if !bold || !mention {
		t.Errorf("entities %+v: bold=%v mention=%v, want both", sent.Entities, bold, mention)
	}
}
