package tgconv

import (
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// replyTargets splits a reply header into the forum topic a message is in (0 for none) and
// the message it answers (0 for none). In a topic, a message that answers nothing names the
// topic as its reply target; one that answers a message names the topic as its "top".
func replyTargets(h *tg.MessageReplyHeader) (topic, reply int) {
	if !h.ForumTopic {
		return 0, h.ReplyToMsgID
	}
	if top, ok := h.GetReplyToTopID(); ok && top != 0 {
		return top, h.ReplyToMsgID
	}
	return h.ReplyToMsgID, 0
}

// ApplyReplyHeader sets a converted message's thread and reply from Telegram's reply header.
// A channel peer without a valid (positive) ID names no chat a message could be in: its
// messages get no thread or reply.
func ApplyReplyHeader(conv *bridgev2.ConvertedMessage, peer tg.PeerClass, header tg.MessageReplyHeaderClass) {
	h, ok := header.(*tg.MessageReplyHeader)
	if !ok {
		return
	}
	if ch, isChannel := peer.(*tg.PeerChannel); isChannel && ch.ChannelID <= 0 {
		return
	}
	topic, reply := replyTargets(h)
	if topic > 0 {
		root := ids.MessageIDOf(peer, topic)
		conv.ThreadRoot = &root
	}
	if reply > 0 {
		conv.ReplyTo = &networkid.MessageOptionalPartID{MessageID: ids.MessageIDOf(peer, reply)}
	}
}

// TopicNotice is the text of a topic's service message, or "" for other service messages.
func TopicNotice(action tg.MessageActionClass) string {
	switch a := action.(type) {
	case *tg.MessageActionTopicCreate:
		return "New topic: " + a.Title
	case *tg.MessageActionTopicEdit:
		if title, ok := a.GetTitle(); ok {
			return "Topic renamed to " + title
		}
		if closed, ok := a.GetClosed(); ok {
			if closed {
				return "Topic closed"
			}
			return "Topic reopened"
		}
		return "Topic changed"
	}
	return ""
}

// TopicMessage is a topic service message as a Matrix notice; edits of a topic go into its thread.
func TopicMessage(m *tg.MessageService, text string) *bridgev2.ConvertedMessage {
	conv := &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
		Type: event.EventMessage, Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: text},
	}}}
	ApplyReplyHeader(conv, m.PeerID, m.ReplyTo)
	return conv
}

// InputReplyTo is where a Matrix message goes on Telegram: an answer to the message it
// replies to, inside the forum topic its thread belongs to (if any). Nil for neither.
func InputReplyTo(msg *bridgev2.MatrixMessage) *tg.InputReplyToMessage {
	reply, topic := 0, 0
	if msg.ReplyTo != nil {
		_, reply, _ = ids.ParseMessageID(msg.ReplyTo.ID)
	}
	if msg.ThreadRoot != nil {
		_, topic, _ = ids.ParseMessageID(msg.ThreadRoot.ID)
	}
	switch {
	case topic != 0 && reply != 0 && reply != topic:
		r := &tg.InputReplyToMessage{ReplyToMsgID: reply}
		r.SetTopMsgID(topic)
		return r
	case topic != 0:
		return &tg.InputReplyToMessage{ReplyToMsgID: topic}
	case reply != 0:
		return &tg.InputReplyToMessage{ReplyToMsgID: reply}
	}
	return nil
}
