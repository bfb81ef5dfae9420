package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// Forum topics are Matrix threads in the supergroup's one room. A topic is opened by a
// service message (its ID is the topic's ID); that message becomes a notice naming the topic
// and the root of the thread, and every message in the topic is a message in the thread. The
// "General" topic has no root: its messages are the room's main timeline. Matrix messages in
// a thread go to the topic the thread's root opened.

// handleTopicService bridges a forum topic's service message as a notice (the thread root,
// for a new topic) and reports whether it was one.
func (tc *Client) handleTopicService(ctx context.Context, msg *tg.MessageService) bool {
	text := tgconv.TopicNotice(msg.Action)
	portal, ok := ids.PortalKey(msg.PeerID, tc.login.ID)
	if text == "" || !ok {
		return false
	}
	sender := bridgev2.EventSender{Sender: ids.ChannelUserID(ids.ChannelOf(msg.PeerID))}
	if from, ok := msg.FromID.(*tg.PeerUser); ok {
		sender = tc.memberSender(from.UserID)
	}
	tc.queue(ctx, &simplevent.Message[*tg.MessageService]{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventMessage,
			PortalKey: portal,
			Sender:    sender,
			Timestamp: time.Unix(int64(msg.Date), 0),
		},
		ID:   ids.MessageIDOf(msg.PeerID, msg.ID),
		Data: msg,
		ConvertMessageFunc: func(_ context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, m *tg.MessageService) (*bridgev2.ConvertedMessage, error) {
			return tgconv.TopicMessage(m, text), nil
		},
	})
	return true
}
