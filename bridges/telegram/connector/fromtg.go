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

// networkidOfLogin is the ghost ID of the login's own account.
func networkidOfLogin(tc *Client) networkid.UserID { return networkid.UserID(tc.login.ID) }

func (tc *Client) registerHandlers(d tg.UpdateDispatcher) {
	d.OnNewMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewMessage) error {
		for _, user := range e.Users {
			tc.remember(user)
		}
		if msg, ok := u.Message.(*tg.Message); ok {
			tc.handleMessage(ctx, msg)
		}
		return nil
	})
}

// handleMessage bridges a message of a private chat.
func (tc *Client) handleMessage(_ context.Context, msg *tg.Message) {
	peer, ok := msg.PeerID.(*tg.PeerUser)
	if !ok {
		tc.login.Log.Debug().Int("tg_message_id", msg.ID).Msg("Ignoring message outside private chats (not bridged yet)")
		return
	}
	sender := bridgev2.EventSender{Sender: ids.UserID(peer.UserID)}
	if msg.Out {
		sender = bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: networkidOfLogin(tc)}
	}
	tc.queue(&simplevent.Message[*tg.Message]{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventMessage,
			PortalKey:    ids.UserPortal(peer.UserID, tc.login.ID),
			Sender:       sender,
			Timestamp:    time.Unix(int64(msg.Date), 0),
			CreatePortal: true,
		},
		ID:   ids.MessageID(peer.UserID, msg.ID),
		Data: msg,
		ConvertMessageFunc: func(_ context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, m *tg.Message) (*bridgev2.ConvertedMessage, error) {
			content := &event.MessageEventContent{MsgType: event.MsgText, Body: m.Message}
			if m.Message == "" {
				content = &event.MessageEventContent{MsgType: event.MsgNotice, Body: "Unsupported Telegram message: this bridge cannot show it yet."}
			}
			return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{Type: event.EventMessage, Content: content}}}, nil
		},
	})
}

func (tc *Client) queue(evt bridgev2.RemoteEvent) {
	res := tc.login.QueueRemoteEvent(evt)
	if !res.Success && !res.Queued && !res.Ignored {
		tc.login.Log.Warn().Err(res.Error).Str("event_type", evt.GetType().String()).Msg("Bridge did not accept Telegram event")
	}
}
