//go:build integration

package connector_test

import (
	"errors"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// chat is an open one-to-one portal between a logged-in user and a WhatsApp contact.
type chat struct {
	*session
	peer   types.JID
	ghost  id.UserID
	portal id.RoomID
}

// openChat has a new WhatsApp contact named name write hello; the user accepts the portal.
func openChat(t *testing.T, s *session, name, hello string) (*chat, *events.Message, *event.Event) {
	t.Helper()
	peer := wafake.User(newPhone())
	c := s.u.Cursor()
	msg := wafake.Incoming(peer, peer, name, wafake.Text(hello))
	s.cli.Emit(msg)
	portal := s.u.WaitInvite(t, c, "an invite to the portal with "+name, nil)
	s.u.Join(t, portal)
	ch := &chat{session: s, peer: peer, ghost: bridge.GhostMXID(peer.User), portal: portal}
	evt := s.u.WaitFor(t, portal, c, name+"'s first message", matrixtest.MessageFrom(ch.ghost, hello))
	return ch, msg, evt
}

// incoming makes the peer send msg and returns the WhatsApp event.
func (ch *chat) incoming(msg *waE2E.Message) *events.Message {
	evt := wafake.Incoming(ch.peer, ch.peer, "", msg)
	ch.cli.Emit(evt)
	return evt
}

// sent waits for the next message the bridge sent to WhatsApp.
func sent(t *testing.T) wafake.Sent {
	t.Helper()
	s, err := net.WaitSent(matrixtest.DefaultTimeout)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// protocolOf unwraps an edit or revoke built by whatsmeow.
func protocolOf(m *waE2E.Message) *waE2E.ProtocolMessage {
	if m.GetEditedMessage() != nil {
		m = m.GetEditedMessage().GetMessage()
	}
	return m.GetProtocolMessage()
}

func TestTextFromWhatsAppWithFormattingAndMention(t *testing.T) {
	s := login(t, "Ada")
	ch, _, _ := openChat(t, s, "Bea Remote", "hello")
	member := s.u.WaitFor(t, ch.portal, 0, "Bea's ghost in the portal", matrixtest.Membership(ch.ghost, event.MembershipJoin))
	if name := member.Content.AsMember().Displayname; name != "Bea Remote" {
		t.Errorf("ghost display name %q, want the push name %q", name, "Bea Remote")
	}

	c := s.u.Cursor()
	ch.incoming(wafake.ExtendedText("*Hi* @"+s.jid.User+", _look_ at ~this~", &waE2E.ContextInfo{
		MentionedJID: []string{s.jid.String()},
	}))
	evt := s.u.WaitFor(t, ch.portal, c, "the formatted message", matrixtest.MessageFrom(ch.ghost, "Hi"))
	msg := evt.Content.AsMessage()
	for _, want := range []string{"<strong>Hi</strong>", "<em>look</em>", "<del>this</del>", `href="https://matrix.to/#/` + s.u.UserID.String() + `"`} {
		if !strings.Contains(msg.FormattedBody, want) {
			t.Errorf("formatted body %q lacks %q", msg.FormattedBody, want)
		}
	}
	if msg.Mentions == nil || len(msg.Mentions.UserIDs) != 1 || msg.Mentions.UserIDs[0] != s.u.UserID {
		t.Errorf("mentions = %+v, want the Matrix user %s", msg.Mentions, s.u.UserID)
	}
}

func TestTextToWhatsAppWithFormattingAndMention(t *testing.T) {
	s := login(t, "Cy")
	ch, _, _ := openChat(t, s, "Dee", "hi")
	net.DrainSent()
	s.u.SendHTML(t, ch.portal, "bold and it, Dee", `<b>bold</b> and <em>it</em>, <a href="https://matrix.to/#/`+ch.ghost.String()+`">Dee</a>`)
	got := sent(t)
	if got.To != ch.peer {
		t.Errorf("sent to %s, want %s", got.To, ch.peer)
	}
	ext := got.Message.GetExtendedTextMessage()
	if want := "*bold* and _it_, @" + ch.peer.User; ext.GetText() != want {
		t.Errorf("WhatsApp text %q, want %q", ext.GetText(), want)
	}
	if m := ext.GetContextInfo().GetMentionedJID(); len(m) != 1 || m[0] != ch.peer.String() {
		t.Errorf("mentioned JIDs %v, want [%s]", m, ch.peer)
	}

	s.u.SendText(t, ch.portal, "plain words")
	if got = sent(t); got.Message.GetConversation() != "plain words" {
		t.Errorf("plain text arrived as %v", got.Message)
	}
}

func TestRepliesBothWays(t *testing.T) {
	s := login(t, "Eve")
	ch, hello, helloEvt := openChat(t, s, "Fay", "question?")
	net.DrainSent()

	mine := s.u.Reply(t, ch.portal, helloEvt.ID, "answer!")
	got := sent(t)
	info := got.Message.GetExtendedTextMessage().GetContextInfo()
	if info.GetStanzaID() != string(hello.Info.ID) || info.GetParticipant() != ch.peer.String() || info.GetQuotedMessage() == nil {
		t.Errorf("reply context = %v, want stanza %s from %s with a quoted message", info, hello.Info.ID, ch.peer)
	}

	c := s.u.Cursor()
	ch.incoming(wafake.ExtendedText("thanks", &waE2E.ContextInfo{
		StanzaID:    proto.String(string(got.ID)),
		Participant: proto.String(s.jid.String()),
	}))
	evt := s.u.WaitFor(t, ch.portal, c, "Fay's reply", matrixtest.MessageFrom(ch.ghost, "thanks"))
	if target := evt.Content.AsMessage().RelatesTo.GetReplyTo(); target != mine {
		t.Errorf("Fay's reply points at %s, want the user's message %s", target, mine)
	}
}

func TestEditsBothWays(t *testing.T) {
	s := login(t, "Gus")
	ch, hello, helloEvt := openChat(t, s, "Hal", "helo")
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
		Type:          waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(),
		Key:           &waCommon.MessageKey{RemoteJID: proto.String(ch.peer.String()), FromMe: proto.Bool(true), ID: proto.String(string(hello.Info.ID))},
		EditedMessage: wafake.Text("hello"),
	}})
	edit := s.u.WaitFor(t, ch.portal, c, "Hal's edit", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == ch.ghost && m.NewContent != nil && m.NewContent.Body == "hello"
	})
	if target := edit.Content.AsMessage().RelatesTo.GetReplaceID(); target != helloEvt.ID {
		t.Errorf("edit replaces %s, want %s", target, helloEvt.ID)
	}

	net.DrainSent()
	mine := s.u.SendText(t, ch.portal, "teh answer")
	orig := sent(t)
	s.u.Edit(t, ch.portal, mine, "the answer")
	pm := protocolOf(sent(t).Message)
	if pm.GetType() != waE2E.ProtocolMessage_MESSAGE_EDIT || pm.GetKey().GetID() != string(orig.ID) || pm.GetEditedMessage().GetConversation() != "the answer" {
		t.Errorf("edit sent to WhatsApp = %v, want MESSAGE_EDIT of %s to %q", pm, orig.ID, "the answer")
	}
}

func TestDeletesBothWays(t *testing.T) {
	s := login(t, "Kim")
	ch, hello, helloEvt := openChat(t, s, "Lee", "oops")
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
		Type: waE2E.ProtocolMessage_REVOKE.Enum(),
		Key:  &waCommon.MessageKey{RemoteJID: proto.String(ch.peer.String()), FromMe: proto.Bool(true), ID: proto.String(string(hello.Info.ID))},
	}})
	red := s.u.WaitFor(t, ch.portal, c, "the redaction of Lee's message", matrixtest.Type(event.EventRedaction, ch.ghost))
	if red.Redacts != helloEvt.ID && red.Content.AsRedaction().Redacts != helloEvt.ID {
		t.Errorf("redaction targets %s, want %s", red.Redacts, helloEvt.ID)
	}

	net.DrainSent()
	mine := s.u.SendText(t, ch.portal, "regret")
	orig := sent(t)
	s.u.Redact(t, ch.portal, mine)
	pm := protocolOf(sent(t).Message)
	if pm.GetType() != waE2E.ProtocolMessage_REVOKE || pm.GetKey().GetID() != string(orig.ID) || !pm.GetKey().GetFromMe() {
		t.Errorf("revoke sent = %v, want REVOKE of own message %s", pm, orig.ID)
	}
}

// TestUnsupportedMessageIsNoticed: a message the bridge cannot carry yet still tells the user
// that something arrived.
func TestUnsupportedMessageIsNoticed(t *testing.T) {
	s := login(t, "Ola")
	ch, _, _ := openChat(t, s, "Pia", "look")
	c := s.u.Cursor()
	// Locations, contacts and polls are bridged now; group invite links are not (yet).
	ch.incoming(&waE2E.Message{GroupInviteMessage: &waE2E.GroupInviteMessage{GroupJID: proto.String("120363000000000001@g.us"), InviteCode: proto.String("AbCdEf"), GroupName: proto.String("Club")}})
	evt := s.u.WaitFor(t, ch.portal, c, "a notice about the group invite", matrixtest.MessageFrom(ch.ghost, "Unsupported WhatsApp message"))
	if evt.Content.AsMessage().MsgType != event.MsgNotice {
		t.Errorf("unsupported message shown as %s, want m.notice", evt.Content.AsMessage().MsgType)
	}
	c = s.u.Cursor()
	ch.incoming(&waE2E.Message{})
	s.u.WaitFor(t, ch.portal, c, "a notice about the empty message", matrixtest.MessageFrom(ch.ghost, "Unsupported WhatsApp"))
}

// TestFailedSendIsReported: when WhatsApp refuses a message the Matrix sender is told, and the
// next message goes through.
func TestFailedSendIsReported(t *testing.T) {
	s := login(t, "Quin")
	ch, _, _ := openChat(t, s, "Ray", "hey")
	net.DrainSent()
	net.FailSend = func(types.JID, *waE2E.Message) error { return errors.New("server said no") }
	c := s.u.Cursor()
	s.u.SendText(t, ch.portal, "doomed")
	s.u.WaitFor(t, ch.portal, c, "a failure notice", matrixtest.MessageFrom(bridge.BotMXID(), "server said no"))
	net.FailSend = nil
	s.u.SendText(t, ch.portal, "survivor")
	if got := sent(t); got.Message.GetConversation() != "survivor" {
		t.Errorf("after the failure the bridge sent %v", got.Message)
	}
}

// TestReplyToUnknownMessage: a reply whose target the bridge never saw still arrives, in both
// directions, just without the reply link.
func TestReplyToUnknownMessage(t *testing.T) {
	s := login(t, "Sam")
	ch, _, _ := openChat(t, s, "Tia", "hi")
	c := s.u.Cursor()
	ch.incoming(wafake.ExtendedText("about that old thing", &waE2E.ContextInfo{
		StanzaID:    proto.String("3EB0NEVERSEEN"),
		Participant: proto.String(ch.peer.String()),
	}))
	evt := s.u.WaitFor(t, ch.portal, c, "the reply to an unknown message", matrixtest.MessageFrom(ch.ghost, "about that old thing"))
	if target := evt.Content.AsMessage().RelatesTo.GetReplyTo(); target != "" {
		t.Errorf("reply to an unknown message points at %s", target)
	}

	// A reply to a Matrix event that was never bridged (the bot's own notice) goes out plain.
	net.DrainSent()
	notice := s.u.WaitFor(t, s.management, 0, "any bot message", matrixtest.MessageFrom(bridge.BotMXID()))
	s.u.Reply(t, ch.portal, notice.ID, "replying to nothing bridged")
	got := sent(t)
	text := got.Message.GetConversation() + got.Message.GetExtendedTextMessage().GetText()
	if text != "replying to nothing bridged" || got.Message.GetExtendedTextMessage().GetContextInfo().GetStanzaID() != "" {
		t.Errorf("sent %v, want the plain text without a quote", got.Message)
	}
}
