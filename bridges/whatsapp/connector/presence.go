package connector

import (
	"context"
	"sync"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/presence"
)

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
		wc.login.Log.Debug().Err(err).Stringer("jid", jid).Msg("Failed to subscribe to presence")
	}
}

// handlePresence shows a contact's WhatsApp online status as their ghost's Matrix presence.
func (wc *Client) handlePresence(ctx context.Context, evt *events.Presence) {
	p := event.PresenceOnline
	if evt.Unavailable {
		p = event.PresenceOffline
	}
	if err := presence.Set(ctx, wc.conn.Bridge, ids.UserID(evt.From), p); err != nil {
		wc.login.Log.Debug().Err(err).Stringer("jid", evt.From).Msg("Failed to set ghost presence")
	}
}
