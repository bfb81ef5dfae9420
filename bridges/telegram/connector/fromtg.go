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
)

// networkidOfLogin is the ghost ID of the login's own account.
func networkidOfLogin(tc *Client) networkid.UserID { return networkid.UserID(tc.login.ID) }

func (tc *Client) registerHandlers(d tg.UpdateDispatcher) {
	tc.registerPresenceHandlers(d)
	tc.registerServiceHandlers(d)
	d.OnNewMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewMessage) error {
		for _, user := range e.Users {
			tc.remember(user)
		}
		tc.rememberChats(e)
		switch msg := u.Message.(type) {
		case *tg.Message:
			tc.handleMessage(ctx, msg)
		case *tg.MessageService:
			tc.handleService(ctx, msg)
		}
		return nil
	})
	d.OnEditMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateEditMessage) error {
		for _, user := range e.Users {
			tc.remember(user)
		}
		if msg, ok := u.Message.(*tg.Message); ok {
			tc.handleEdit(ctx, msg)
		}
		return nil
	})
	d.OnDeleteMessages(func(ctx context.Context, _ tg.Entities, u *tg.UpdateDeleteMessages) error {
		tc.handleDeletes(ctx, u.Messages)
		return nil
	})
	d.OnMessageReactions(func(ctx context.Context, e tg.Entities, u *tg.UpdateMessageReactions) error {
		for _, user := range e.Users {
			tc.remember(user)
		}
		tc.handleReactions(ctx, u)
		return nil
	})
}

// portalOf is the portal of a peer: private chats and basic groups (channels come later).
func (tc *Client) portalOf(peer tg.PeerClass) (networkid.PortalKey, bool) {
	switch p := peer.(type) {
	case *tg.PeerUser:
		return ids.UserPortal(p.UserID, tc.login.ID), true
	case *tg.PeerChat:
		return ids.ChatPortal(p.ChatID, tc.login.ID), true
	}
	return networkid.PortalKey{}, false
}

// handleMessage bridges a message of a private chat or basic group.
func (tc *Client) handleMessage(_ context.Context, msg *tg.Message) {
	portal, ok := tc.portalOf(msg.PeerID)
	if !ok {
		tc.login.Log.Debug().Int("tg_message_id", msg.ID).Msg("Ignoring channel message (not bridged yet)")
		return
	}
	tc.queue(&simplevent.Message[*tg.Message]{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventMessage,
			PortalKey:    portal,
			Sender:       tc.senderOf(msg),
			Timestamp:    time.Unix(int64(msg.Date), 0),
			CreatePortal: true,
		},
		ID:   ids.MessageID(msg.ID),
		Data: msg,
		ConvertMessageFunc: func(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, m *tg.Message) (*bridgev2.ConvertedMessage, error) {
			return tc.convertWithMedia(ctx, portal, intent, m), nil
		},
	})
}

// senderOf is who sent a message: us, the author named in the message, or (in private chats,
// where Telegram may omit the author) the other person.
func (tc *Client) senderOf(msg *tg.Message) bridgev2.EventSender {
	if msg.Out {
		return bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: networkidOfLogin(tc)}
	}
	if from, ok := msg.FromID.(*tg.PeerUser); ok {
		return bridgev2.EventSender{Sender: ids.UserID(from.UserID)}
	}
	if peer, ok := msg.PeerID.(*tg.PeerUser); ok {
		return bridgev2.EventSender{Sender: ids.UserID(peer.UserID)}
	}
	return bridgev2.EventSender{}
}

// convert turns a Telegram message into Matrix content.
func (tc *Client) convert(m *tg.Message) *bridgev2.ConvertedMessage {
	content := tc.textToMatrix(m.Message, m.Entities)
	if rich := richMediaContent(m.Media); rich != nil {
		content = rich
	} else if m.Message == "" {
		content = &event.MessageEventContent{MsgType: event.MsgNotice, Body: "Unsupported Telegram message: this bridge cannot show it yet."}
	}
	conv := &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{Type: event.EventMessage, Content: content}}}
	if header, ok := m.ReplyTo.(*tg.MessageReplyHeader); ok && header.ReplyToMsgID != 0 {
		conv.ReplyTo = &networkid.MessageOptionalPartID{MessageID: ids.MessageID(header.ReplyToMsgID)}
	}
	return conv
}

// handleEdit bridges a changed message of a private chat or basic group.
func (tc *Client) handleEdit(_ context.Context, msg *tg.Message) {
	portal, ok := tc.portalOf(msg.PeerID)
	if !ok {
		return
	}
	tc.queue(&simplevent.Message[*tg.Message]{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventEdit,
			PortalKey: portal,
			Sender:    tc.senderOf(msg),
			Timestamp: time.Unix(int64(msg.EditDate), 0),
		},
		TargetMessage: ids.MessageID(msg.ID),
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
		msg, err := tc.conn.Bridge.DB.Message.GetFirstPartByID(ctx, tc.login.ID, ids.MessageID(n))
		if err != nil || msg == nil {
			continue // never bridged: nothing to remove
		}
		tc.queue(&simplevent.MessageRemove{
			EventMeta:     simplevent.EventMeta{Type: bridgev2.RemoteEventMessageRemove, PortalKey: msg.Room, Timestamp: time.Now()},
			TargetMessage: msg.ID,
		})
	}
}

func (tc *Client) queue(evt bridgev2.RemoteEvent) {
	res := tc.login.QueueRemoteEvent(evt)
	if !res.Success && !res.Queued && !res.Ignored {
		tc.login.Log.Warn().Err(res.Error).Str("event_type", evt.GetType().String()).Msg("Bridge did not accept Telegram event")
	}
}
