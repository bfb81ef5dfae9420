package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// Forum topics are Matrix threads in the supergroup's one room. A topic is opened by a
// service message (its ID is the topic's ID); that message becomes a notice naming the topic
// and the root of the thread, and every message in the topic is a message in the thread. The
// "General" topic has no root: its messages are the room's main timeline. Matrix messages in
// a thread go to the topic the thread's root opened.

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

// applyReplyHeader sets a converted message's thread and reply from Telegram's reply header.
func applyReplyHeader(conv *bridgev2.ConvertedMessage, peer tg.PeerClass, header tg.MessageReplyHeaderClass) {
	h, ok := header.(*tg.MessageReplyHeader)
	if !ok {
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

// topicNotice is the text of a topic's service message, or "" for other service messages.
func topicNotice(action tg.MessageActionClass) string {
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

// handleTopicService bridges a forum topic's service message as a notice (the thread root,
// for a new topic) and reports whether it was one.
func (tc *Client) handleTopicService(_ context.Context, msg *tg.MessageService) bool {
	text := topicNotice(msg.Action)
	portal, ok := ids.PortalKey(msg.PeerID, tc.login.ID)
	if text == "" || !ok {
		return false
	}
	sender := bridgev2.EventSender{Sender: ids.ChannelUserID(ids.ChannelOf(msg.PeerID))}
	if from, ok := msg.FromID.(*tg.PeerUser); ok {
		sender = tc.memberSender(from.UserID)
	}
	tc.queue(&simplevent.Message[*tg.MessageService]{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventMessage,
			PortalKey: portal,
			Sender:    sender,
			Timestamp: time.Unix(int64(msg.Date), 0),
		},
		ID:   ids.MessageIDOf(msg.PeerID, msg.ID),
		Data: msg,
		ConvertMessageFunc: func(_ context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, m *tg.MessageService) (*bridgev2.ConvertedMessage, error) {
			return topicMessage(m, text), nil
		},
	})
	return true
}

// topicMessage is a topic service message as a Matrix notice; edits of a topic go into its thread.
func topicMessage(m *tg.MessageService, text string) *bridgev2.ConvertedMessage {
	conv := &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
		Type: event.EventMessage, Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: text},
	}}}
	applyReplyHeader(conv, m.PeerID, m.ReplyTo)
	return conv
}

// inputReplyTo is where a Matrix message goes on Telegram: an answer to the message it
// replies to, inside the forum topic its thread belongs to (if any). Nil for neither.
func inputReplyTo(msg *bridgev2.MatrixMessage) *tg.InputReplyToMessage {
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
