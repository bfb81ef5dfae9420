package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// networkidOfLogin is the ghost ID of the login's own account.
func networkidOfLogin(tc *Client) networkid.UserID { return networkid.UserID(tc.login.ID) }

// onNewMessage bridges a new message or service message of any chat.
func (tc *Client) onNewMessage(ctx context.Context, e tg.Entities, m tg.MessageClass) {
	tc.rememberEntities(e)
	switch msg := m.(type) {
	case *tg.Message:
		tc.handleMessage(ctx, msg)
	case *tg.MessageService:
		tc.handleService(ctx, msg)
	}
}

// onEditMessage bridges a changed message of any chat.
func (tc *Client) onEditMessage(ctx context.Context, e tg.Entities, m tg.MessageClass) {
	tc.rememberEntities(e)
	if msg, ok := m.(*tg.Message); ok {
		tc.handleEdit(ctx, msg)
	}
}

// handleMessage bridges a message of any chat.
func (tc *Client) handleMessage(ctx context.Context, msg *tg.Message) {
	portal, ok := ids.PortalKey(msg.PeerID, tc.login.ID)
	if !ok {
		return
	}
	if channel := ids.ChannelOf(msg.PeerID); channel != 0 {
		defer tc.joinShared(ctx, channel)
	}
	tc.queue(ctx, openingMessage{&simplevent.Message[*tg.Message]{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventMessage,
			PortalKey:    portal,
			Sender:       tc.senderOf(msg),
			Timestamp:    time.Unix(int64(msg.Date), 0),
			CreatePortal: true,
		},
		ID:   ids.MessageIDOf(msg.PeerID, msg.ID),
		Data: msg,
		ConvertMessageFunc: func(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, m *tg.Message) (*bridgev2.ConvertedMessage, error) {
			return tc.convertWithMedia(ctx, portal, intent, m), nil
		},
	}})
	if poll, ok := msg.Media.(*tg.MessageMediaPoll); ok {
		tc.syncPollMessage(ctx, portal, msg, poll)
	}
}

// senderOf is who sent a message: us, the author named in the message, the channel itself
// (broadcast posts and anonymous admins), or (in private chats, where Telegram may omit the
// author) the other person.
func (tc *Client) senderOf(msg *tg.Message) bridgev2.EventSender {
	if msg.Out {
		return bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: networkidOfLogin(tc)}
	}
	switch from := msg.FromID.(type) {
	case *tg.PeerUser:
		return tc.memberSender(from.UserID)
	case *tg.PeerChannel:
		return bridgev2.EventSender{Sender: ids.ChannelUserID(from.ChannelID)}
	}
	if channel := ids.ChannelOf(msg.PeerID); channel != 0 {
		return bridgev2.EventSender{Sender: ids.ChannelUserID(channel)}
	}
	if peer, ok := msg.PeerID.(*tg.PeerUser); ok {
		return bridgev2.EventSender{Sender: ids.UserID(peer.UserID)}
	}
	return bridgev2.EventSender{}
}

// convert turns a Telegram message into Matrix content.
func (tc *Client) convert(m *tg.Message) *bridgev2.ConvertedMessage {
	content := tc.textToMatrix(m.Message, m.Entities)
	if rich := tgconv.RichMedia(m.Media); rich != nil {
		content = rich
	} else if m.Message == "" {
		content = &event.MessageEventContent{MsgType: event.MsgNotice, Body: "Unsupported Telegram message: this bridge cannot show it yet."}
	}
	conv := &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{Type: event.EventMessage, Content: content}}}
	if poll := pollStartPart(m.Media); poll != nil {
		conv.Parts[0] = poll
	}
	tgconv.ApplyReplyHeader(conv, m.PeerID, m.ReplyTo)
	return conv
}

// handleEdit bridges a changed message.
func (tc *Client) handleEdit(ctx context.Context, msg *tg.Message) {
	portal, ok := ids.PortalKey(msg.PeerID, tc.login.ID)
	if !ok {
		return
	}
	if poll, ok := msg.Media.(*tg.MessageMediaPoll); ok {
		tc.syncPollMessage(ctx, portal, msg, poll) // a poll's text cannot change: only its state
		return
	}
	tc.queue(ctx, &simplevent.Message[*tg.Message]{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventEdit,
			PortalKey: portal,
			Sender:    tc.senderOf(msg),
			Timestamp: time.Unix(int64(msg.EditDate), 0),
		},
		TargetMessage: ids.MessageIDOf(msg.PeerID, msg.ID),
		Data:          msg,
		ConvertEditFunc: func(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, existing []*database.Message, m *tg.Message) (*bridgev2.ConvertedEdit, error) {
			// A caption edit re-sends the media: the new content must carry the file again.
			part := tc.convertWithMedia(ctx, portal, intent, m).Parts[0]
			return &bridgev2.ConvertedEdit{ModifiedParts: []*bridgev2.ConvertedEditPart{part.ToEditPart(existing[0])}}, nil
		},
	})
}

// handleDeletes bridges deleted private-chat messages. Telegram names them by number only, so
// the bridge looks up which portal each one is in.
func (tc *Client) handleDeletes(ctx context.Context, msgIDs []int) {
	for _, n := range msgIDs {
		msg, err := tc.message(ctx, ids.MessageID(n))
		if err != nil || msg == nil {
			continue // never bridged: nothing to remove
		}
		tc.queue(ctx, &simplevent.MessageRemove{
			EventMeta:     simplevent.EventMeta{Type: bridgev2.RemoteEventMessageRemove, PortalKey: msg.Room, Timestamp: time.Now()},
			TargetMessage: msg.ID,
		})
	}
}

// message finds a bridged message by its ID: channel messages are in shared portals (no
// receiver), the others in this login's.
func (tc *Client) message(ctx context.Context, id networkid.MessageID) (*database.Message, error) {
	receiver := tc.login.ID
	if channel, _, err := ids.ParseMessageID(id); err == nil && channel != 0 {
		receiver = ""
	}
	return tc.conn.Bridge.DB.Message.GetFirstPartByID(ctx, receiver, id)
}
