package connector

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/presence"
)

var (
	_ bridgev2.ReadReceiptHandlingNetworkAPI = (*Client)(nil)
	_ bridgev2.TypingHandlingNetworkAPI      = (*Client)(nil)
)

// typingTimeout is how long a "composing" presence lasts unless WhatsApp says "paused".
const typingTimeout = 15 * time.Second

// presenceSubs remembers whose presence this connection already asked for.
type presenceSubs struct {
	mu   sync.Mutex
	seen map[types.JID]bool
}

// subscribePresence asks WhatsApp for a contact's online status, once per connection.
func (wc *Client) subscribePresence(ctx context.Context, jid types.JID) {
	if wc.wa == nil || jid.Server != types.DefaultUserServer || jid.ToNonAD() == wc.ownJID() {
		return
	}
	wc.presence.mu.Lock()
	if wc.presence.seen == nil {
		wc.presence.seen = map[types.JID]bool{}
	}
	done := wc.presence.seen[jid.ToNonAD()]
	wc.presence.seen[jid.ToNonAD()] = true
	wc.presence.mu.Unlock()
	if done {
		return
	}
	if err := wc.wa.SubscribePresence(ctx, jid.ToNonAD()); err != nil {
		zerolog.Ctx(ctx).Debug().Err(err).Stringer("user_id", jid).Msg("Failed to subscribe to presence")
	}
}

// handlePresence shows a contact's WhatsApp online status as their ghost's Matrix presence.
func (wc *Client) handlePresence(ctx context.Context, evt *events.Presence) {
	p := event.PresenceOnline
	if evt.Unavailable {
		p = event.PresenceOffline
	}
	if err := presence.Set(ctx, wc.conn.Bridge, ids.UserID(evt.From), p); err != nil {
		zerolog.Ctx(ctx).Debug().Err(err).Stringer("user_id", evt.From).Msg("Failed to set ghost presence")
	}
}

func (wc *Client) handleReceipt(ctx context.Context, evt *events.Receipt) {
	if evt.IsFromMe {
		wc.phoneSeen(ctx, evt.Sender, evt.Timestamp)
	}
	if evt.Type != types.ReceiptTypeRead && evt.Type != types.ReceiptTypeReadSelf {
		return
	}
	if !wc.wantChat(evt.Chat) {
		return
	}
	// Receipts from others are for our messages; our own ("read self") are for the sender's.
	msgSender := wc.ownJID()
	if evt.IsFromMe {
		msgSender = evt.MessageSender
		if msgSender.IsEmpty() {
			msgSender = evt.Chat
		}
	}
	targets := make([]networkid.MessageID, 0, len(evt.MessageIDs))
	for _, id := range evt.MessageIDs {
		targets = append(targets, ids.MessageID(evt.Chat, msgSender, id))
	}
	wc.queue(ctx, &simplevent.Receipt{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventReadReceipt,
			PortalKey: ids.PortalKey(evt.Chat, wc.login.ID),
			Sender:    wc.sender(evt.Sender, evt.IsFromMe),
			Timestamp: evt.Timestamp,
		},
		Targets: targets,
	})
}

func (wc *Client) handleChatPresence(ctx context.Context, evt *events.ChatPresence) {
	timeout := time.Duration(0)
	if evt.State == types.ChatPresenceComposing {
		timeout = typingTimeout
	}
	typ := bridgev2.TypingTypeText
	if evt.Media == types.ChatPresenceMediaAudio {
		typ = bridgev2.TypingTypeRecordingMedia
	}
	wc.queue(ctx, &simplevent.Typing{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventTyping,
			PortalKey: ids.PortalKey(evt.Chat, wc.login.ID),
			Sender:    wc.sender(evt.Sender, evt.IsFromMe),
			Timestamp: time.Now(),
		},
		Timeout: timeout,
		Type:    typ,
	})
}

func (wc *Client) HandleMatrixReadReceipt(ctx context.Context, msg *bridgev2.MatrixReadReceipt) error {
	if msg.ExactMessage == nil || wc.wa == nil {
		return nil
	}
	target, err := ids.ParseMessageID(msg.ExactMessage.ID)
	if err != nil {
		return err
	}
	if target.Sender == wc.ownJID() {
		return nil // our own messages need no read receipt
	}
	return wc.wa.MarkRead(ctx, []types.MessageID{target.ID}, msg.ReadUpTo, target.Chat, target.Sender)
}

func (wc *Client) HandleMatrixTyping(ctx context.Context, msg *bridgev2.MatrixTyping) error {
	if wc.wa == nil {
		return nil
	}
	chat, err := ids.ParsePortalID(msg.Portal.ID)
	if err != nil {
		return err
	}
	state := types.ChatPresencePaused
	if msg.IsTyping {
		state = types.ChatPresenceComposing
	}
	return wc.wa.SendChatPresence(ctx, chat, state, types.ChatPresenceMediaText)
}
