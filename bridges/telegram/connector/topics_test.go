package connector

import (
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"

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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := &bridgev2.ConvertedMessage{}
			applyReplyHeader(conv, tt.peer, tt.h)
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
			got := inputReplyTo(tt.msg)
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
		if got := topicNotice(tt.action); got != tt.want {
			t.Errorf("topicNotice(%T) = %q, want %q", tt.action, got, tt.want)
		}
	}
}

// FuzzApplyReplyHeader decodes arbitrary reply headers: none may panic, and a thread or reply
// target is always a message of the chat.
func FuzzApplyReplyHeader(f *testing.F) {
	for _, seed := range []tg.MessageReplyHeaderClass{header(true, 12, 7), header(false, 5, 0), &tg.MessageReplyStoryHeader{Peer: &tg.PeerUser{UserID: 1}, StoryID: 2}} {
		var b bin.Buffer
		if err := seed.Encode(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Raw())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := tg.DecodeMessageReplyHeader(&bin.Buffer{Buf: data})
		if err != nil {
			return
		}
		conv := &bridgev2.ConvertedMessage{}
		applyReplyHeader(conv, &tg.PeerChannel{ChannelID: 9}, h)
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
