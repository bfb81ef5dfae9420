package connector

import (
	"context"
	"sync"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2/matrix"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
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
// bridgev2 has no presence API, so this talks to the ghost's appservice intent directly.
func (wc *Client) handlePresence(ctx context.Context, evt *events.Presence) {
	intent, ok := wc.conn.Bridge.Matrix.GhostIntent(ids.UserID(evt.From)).(*matrix.ASIntent)
	if !ok {
		return
	}
	req := mautrix.ReqPresence{Presence: event.PresenceOnline}
	if evt.Unavailable {
		req.Presence = event.PresenceOffline
	}
	if err := intent.Matrix.EnsureRegistered(ctx); err != nil {
		wc.login.Log.Debug().Err(err).Msg("Failed to register ghost for presence")
		return
	}
	if err := intent.Matrix.SetPresence(ctx, req); err != nil {
		wc.login.Log.Debug().Err(err).Stringer("jid", evt.From).Msg("Failed to set ghost presence")
	}
}
