package tgconv

import (
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

func header(topic bool, replyTo, top int) *tg.MessageReplyHeader {
	h := &tg.MessageReplyHeader{ForumTopic: topic, ReplyToMsgID: replyTo}
	if top != 0 {
		h.SetReplyToTopID(top)
	}
	h.SetFlags()
	return h
}

func TestApplyReplyHeader(t *testing.T) {
	channel := &tg.PeerChannel{ChannelID: 9}
	tests := []struct {
		name       string
		peer       tg.PeerClass
		h          tg.MessageReplyHeaderClass
		root, with networkid.MessageID
	}{
		{"no header", channel, nil, "", ""},
		{"plain reply in a private chat", &tg.PeerUser{UserID: 3}, header(false, 5, 0), "", "5"},
		{"plain reply in a supergroup", channel, header(false, 5, 0), "", "9.5"},
		{"message in a topic", channel, header(true, 7, 0), "9.7", ""},
		{"answer inside a topic", channel, header(true, 12, 7), "9.7", "9.12"},
		{"story reply", channel, &tg.MessageReplyStoryHeader{}, "", ""},
		{"channel without a valid ID", &tg.PeerChannel{ChannelID: -9}, header(true, 12, 7), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := &bridgev2.ConvertedMessage{}
			ApplyReplyHeader(conv, tt.peer, tt.h)
			var root, with networkid.MessageID
			if conv.ThreadRoot != nil {
				root = *conv.ThreadRoot
			}
			if conv.ReplyTo != nil {
				with = conv.ReplyTo.MessageID
			}
			if root != tt.root || with != tt.with {
				t.Errorf("thread %q reply %q, want thread %q reply %q", root, with, tt.root, tt.with)
			}
		})
	}
}

func TestInputReplyTo(t *testing.T) {
	msg := func(reply, root networkid.MessageID) *bridgev2.MatrixMessage {
		m := &bridgev2.MatrixMessage{}
		if reply != "" {
			m.ReplyTo = &database.Message{ID: reply}
		}
		if root != "" {
			m.ThreadRoot = &database.Message{ID: root}
		}
		return m
	}
	tests := []struct {
		name       string
		msg        *bridgev2.MatrixMessage
		reply, top int // 0, 0: no reply_to at all
	}{
		{"plain message", msg("", ""), 0, 0},
		{"reply", msg("9.5", ""), 5, 0},
		{"into a topic", msg("", "9.7"), 7, 0},
		{"into a topic, falling back to its root", msg("9.7", "9.7"), 7, 0},
		{"answer inside a topic", msg("9.12", "9.7"), 12, 7},
		{"unreadable reply target", msg("x", ""), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := InputReplyTo(tt.msg)
			if tt.reply == 0 {
				if got != nil {
					t.Fatalf("reply_to = %+v, want none", got)
				}
				return
			}
			top, _ := got.GetTopMsgID()
			if got == nil || got.ReplyToMsgID != tt.reply || top != tt.top {
				t.Errorf("reply_to = %+v (top %d), want %d in topic %d", got, top, tt.reply, tt.top)
			}
		})
	}
}

func TestTopicNotice(t *testing.T) {
	title := &tg.MessageActionTopicEdit{}
	title.SetTitle("Dinner")
	closed := &tg.MessageActionTopicEdit{}
	closed.SetClosed(true)
	reopened := &tg.MessageActionTopicEdit{}
	reopened.SetClosed(false)
	tests := []struct {
		action tg.MessageActionClass
		want   string
	}{
		{&tg.MessageActionTopicCreate{Title: "Recipes"}, "New topic: Recipes"},
		{title, "Topic renamed to Dinner"},
		{closed, "Topic closed"},
		{reopened, "Topic reopened"},
		{&tg.MessageActionTopicEdit{}, "Topic changed"},
		{&tg.MessageActionChatEditTitle{Title: "x"}, ""},
	}
	for _, tt := range tests {
		if got := TopicNotice(tt.action); got != tt.want {
			t.Errorf("TopicNotice(%T) = %q, want %q", tt.action, got, tt.want)
		}
	}
}

// FuzzApplyReplyHeader decodes arbitrary reply headers: none may panic, and a thread or reply
// target is always a message of the chat.
func FuzzApplyReplyHeader(f *testing.F) {
	for _, seed := range []tg.MessageReplyHeaderClass{header(true, 12, 7), header(false, 5, 0), &tg.MessageReplyStoryHeader{Peer: &tg.PeerUser{UserID: 1}, StoryID: 2}} {
		addTL(f, seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := tg.DecodeMessageReplyHeader(&bin.Buffer{Buf: data})
		if err != nil {
			return
		}
		conv := &bridgev2.ConvertedMessage{}
		ApplyReplyHeader(conv, &tg.PeerChannel{ChannelID: 9}, h)
		if conv.ThreadRoot != nil {
			if _, _, err := ids.ParseMessageID(*conv.ThreadRoot); err != nil {
				t.Errorf("thread root: %v", err)
			}
		}
		if conv.ReplyTo != nil {
			if _, _, err := ids.ParseMessageID(conv.ReplyTo.MessageID); err != nil {
				t.Errorf("reply target: %v", err)
			}
		}
	})
}

// FuzzTopicMessage decodes arbitrary TL service messages: only a topic's creation or change
// has a notice, and that notice is one m.notice part whose thread and reply, if any, are
// messages of the same chat.
func FuzzTopicMessage(f *testing.F) {
	edit := &tg.MessageActionTopicEdit{}
	edit.SetTitle("Dinner")
	addTL(f,
		&tg.MessageService{ID: 7, PeerID: &tg.PeerChannel{ChannelID: 9}, Action: &tg.MessageActionTopicCreate{Title: "Recipes"}},
		&tg.MessageService{ID: 8, PeerID: &tg.PeerChannel{ChannelID: 9}, ReplyTo: header(true, 7, 0), Action: edit},
		&tg.MessageService{ID: 9, PeerID: &tg.PeerUser{UserID: 1}, Action: &tg.MessageActionHistoryClear{}},
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		var m tg.MessageService
		if err := m.Decode(&bin.Buffer{Buf: data}); err != nil {
			return
		}
		text := TopicNotice(m.Action)
		switch m.Action.(type) {
		case *tg.MessageActionTopicCreate, *tg.MessageActionTopicEdit:
			if text == "" {
				t.Fatalf("no notice for %T", m.Action)
			}
		default:
			if text != "" {
				t.Fatalf("notice %q for %T", text, m.Action)
			}
			return
		}
		conv := TopicMessage(&m, text)
		if len(conv.Parts) != 1 || conv.Parts[0].Content.MsgType != event.MsgNotice || conv.Parts[0].Content.Body != text {
			t.Fatalf("topic message %+v", conv.Parts)
		}
		for _, target := range []*networkid.MessageID{conv.ThreadRoot, reply(conv)} {
			if target == nil {
				continue
			}
			channel, n, err := ids.ParseMessageID(*target)
			if err != nil || channel != ids.ChannelOf(m.PeerID) || n <= 0 {
				t.Errorf("target %q of a message in %+v: %d, %d, %v", *target, m.PeerID, channel, n, err)
			}
		}
	})
}

func reply(conv *bridgev2.ConvertedMessage) *networkid.MessageID {
	if conv.ReplyTo == nil {
		return nil
	}
	return &conv.ReplyTo.MessageID
}

// FuzzInputReplyTo sends arbitrary reply and thread targets: a Matrix message answers on
// Telegram exactly the message it replies to (or its topic's root), names a topic only when
// it answers another message inside it, and has no reply_to without a readable target.
func FuzzInputReplyTo(f *testing.F) {
	for _, seed := range [][2]string{{"9.12", "9.7"}, {"9.7", "9.7"}, {"", "9.7"}, {"5", ""}, {"x", "y"}, {"", ""}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, replyID, rootID string) {
		msg := &bridgev2.MatrixMessage{}
		if replyID != "" {
			msg.ReplyTo = &database.Message{ID: networkid.MessageID(replyID)}
		}
		if rootID != "" {
			msg.ThreadRoot = &database.Message{ID: networkid.MessageID(rootID)}
		}
		var reply, topic int
		if _, n, err := ids.ParseMessageID(networkid.MessageID(replyID)); err == nil && replyID != "" {
			reply = n
		}
		if _, n, err := ids.ParseMessageID(networkid.MessageID(rootID)); err == nil && rootID != "" {
			topic = n
		}
		got := InputReplyTo(msg)
		if reply == 0 && topic == 0 {
			if got != nil {
				t.Fatalf("reply_to %+v without a target", got)
			}
			return
		}
		if got == nil || got.ReplyToMsgID == 0 {
			t.Fatalf("no reply_to for reply %d in topic %d", reply, topic)
		}
		top, hasTop := got.GetTopMsgID()
		switch {
		case hasTop && (top != topic || got.ReplyToMsgID != reply || reply == topic):
			t.Errorf("reply_to %+v (top %d) for reply %d in topic %d", got, top, reply, topic)
		case !hasTop && got.ReplyToMsgID != reply && got.ReplyToMsgID != topic:
			t.Errorf("reply_to %d for reply %d in topic %d", got.ReplyToMsgID, reply, topic)
		}
	})
}
