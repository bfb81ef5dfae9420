package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/presence"
)

var (
	_ bridgev2.ReadReceiptHandlingNetworkAPI = (*Client)(nil)
	_ bridgev2.TypingHandlingNetworkAPI      = (*Client)(nil)
)

// typingTimeout is how long Telegram's "typing" lasts without a refresh.
const typingTimeout = 6 * time.Second

// handleReadOutbox shows that the other person of a private chat read our messages.
func (tc *Client) handleReadOutbox(ctx context.Context, u *tg.UpdateReadHistoryOutbox) {
	peer, ok := u.Peer.(*tg.PeerUser)
	if !ok {
		return
	}
	tc.queue(ctx, &simplevent.Receipt{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventReadReceipt,
			PortalKey: ids.UserPortal(peer.UserID, tc.login.ID),
			Sender:    bridgev2.EventSender{Sender: ids.UserID(peer.UserID)},
			Timestamp: time.Now(),
		},
		LastTarget: ids.MessageID(u.MaxID),
	})
}

// handleUserStatus sets a ghost online or offline.
func (tc *Client) handleUserStatus(ctx context.Context, u *tg.UpdateUserStatus) {
	p := event.PresenceOffline
	if _, ok := u.Status.(*tg.UserStatusOnline); ok {
		p = event.PresenceOnline
	}
	if err := presence.Set(ctx, tc.conn.Bridge, ids.UserID(u.UserID), p); err != nil {
		zerolog.Ctx(ctx).Debug().Err(err).Int64("user_id", u.UserID).Msg("Failed to set ghost presence")
	}
}

// queueTyping shows a Telegram user typing (or no longer typing) in a chat. Typing as a
// channel (anonymous admins) is not shown.
func (tc *Client) queueTyping(ctx context.Context, chat, from tg.PeerClass, action tg.SendMessageActionClass) {
	portal, ok := ids.PortalKey(chat, tc.login.ID)
	user, isUser := from.(*tg.PeerUser)
	if !ok || !isUser || ids.LoginID(user.UserID) == tc.login.ID {
		return
	}
	timeout := time.Duration(0)
	if _, ok := action.(*tg.SendMessageTypingAction); ok {
		timeout = typingTimeout
	}
	tc.queue(ctx, &simplevent.Typing{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventTyping,
			PortalKey: portal,
			Sender:    tc.memberSender(user.UserID),
			Timestamp: time.Now(),
		},
		Timeout: timeout,
	})
}

// HandleMatrixReadReceipt marks the chat read on Telegram up to the message the user read.
func (tc *Client) HandleMatrixReadReceipt(ctx context.Context, msg *bridgev2.MatrixReadReceipt) error {
	if msg.ExactMessage == nil {
		return nil
	}
	_, maxID, err := ids.ParseMessageID(msg.ExactMessage.ID)
	if err != nil {
		return err
	}
	peer, err := tc.peerOf(msg.Portal)
	if err != nil {
		return err
	}
	api := tc.client()
	if api == nil {
		return nil
	}
	if channel := portalChannel(msg.Portal); channel != 0 {
		_, err = api.ChannelsReadHistory(ctx, &tg.ChannelsReadHistoryRequest{Channel: tc.inputChannel(channel), MaxID: maxID})
		return err
	}
	res, err := api.MessagesReadHistory(ctx, &tg.MessagesReadHistoryRequest{Peer: peer, MaxID: maxID})
	if err != nil {
		return fmt.Errorf("read history: %w", err)
	}
	tc.absorbAffected(ctx, 0, res)
	return nil
}

// HandleMatrixTyping shows (or stops showing) the user as typing on Telegram.
func (tc *Client) HandleMatrixTyping(ctx context.Context, msg *bridgev2.MatrixTyping) error {
	peer, err := tc.peerOf(msg.Portal)
	if err != nil {
		return err
	}
	api := tc.client()
	if api == nil {
		return nil
	}
	var action tg.SendMessageActionClass = &tg.SendMessageCancelAction{}
	if msg.IsTyping {
		action = &tg.SendMessageTypingAction{}
	}
	_, err = api.MessagesSetTyping(ctx, &tg.MessagesSetTypingRequest{Peer: peer, Action: action})
	return err
}
