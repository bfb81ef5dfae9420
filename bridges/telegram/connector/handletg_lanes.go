package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/lanes"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/remote"
)

// gotd's updates manager calls the handlers one update at a time, and the handlers bridge to
// Matrix: bridging there would write a login's chats to Matrix one after another. So the
// handlers of a chat's updates queue the bridging on the chat's lane (pkg/bridgekit/lanes,
// keyed by portal) and return at once: a chat's updates keep their order, chats go side by
// side. The pts of an update on a lane is held back (dbUpdateState, ptsWatermark) until the
// lane has bridged it, so nothing the bridge acknowledged to Telegram is lost when it dies.
// Updates that are of no one chat, or of several (deletes named by number only, group
// upgrades), wait for every lane and run inline.

// inbound is one connection's lanes and the update state that holds the pts behind them.
type inbound struct {
	tc    *Client
	state *dbUpdateState
	lanes *lanes.Group
	stop  context.CancelFunc
}

// newInbound starts the lanes of a connection; ctx carries the login's logger.
func newInbound(ctx context.Context, tc *Client, state *dbUpdateState) *inbound {
	ctx, stop := context.WithCancel(ctx)
	return &inbound{tc: tc, state: state, lanes: lanes.New(ctx, 0), stop: stop}
}

// close stops the lanes and waits for the items that are running. What is still queued is
// skipped: its pts was never stored, so the next connection fetches it again.
func (in *inbound) close() {
	in.stop()
	in.lanes.WaitAll()
}

// chat queues fn, the bridging of update u, on the lane of portal. u's pts stays unstored
// until fn finished while the connection was up.
func (in *inbound) chat(portal networkid.PortalKey, u tg.UpdateClass, fn func(ctx context.Context)) {
	seq, pts, count, held := updatePts(u)
	var h ptsHold
	if held {
		h = in.state.hold(seq, pts, count)
	}
	in.lanes.Go(portal.String(), func(ctx context.Context) {
		item := &laneItem{}
		fn(context.WithValue(ctx, laneItemKey{}, item))
		if !held {
			return
		}
		if item.unfinished || ctx.Err() != nil || in.tc.conn.Bridge.BackgroundCtx.Err() != nil {
			zerolog.Ctx(ctx).Debug().Object("portal_key", portal).Msg("Leaving an update unfinished: its pts stays unstored")
			return
		}
		if err := in.state.release(ctx, h); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to store the update state")
		}
	})
}

// barrier runs fn at once, after every lane finished what it holds: for updates of no single
// chat, or of several, which must come after what the chats had before them.
func (in *inbound) barrier(ctx context.Context, fn func(ctx context.Context)) {
	in.lanes.WaitAll()
	fn(ctx)
}

// updatePts is the pts sequence (0: the common one, else the channel), pts and pts_count of an
// update, and whether it has any (gotd gives -1 for those of a difference).
func updatePts(u tg.UpdateClass) (seq int64, pts, count int, ok bool) {
	if pts, count, ok := tg.IsPtsUpdate(u); ok {
		return 0, pts, count, true
	}
	if channel, pts, count, ok, err := tg.IsChannelPtsUpdate(u); ok && err == nil {
		return channel, pts, count, true
	}
	return 0, 0, 0, false
}

// laneItem is what a lane's item learns while it runs.
type laneItem struct {
	// unfinished: an event could not be handed to bridgev2 before the connection ended.
	unfinished bool
}

type laneItemKey struct{}

// Retries of an event the homeserver or the database could not take, on a lane.
const (
	retryFirst = time.Second
	retryMax   = 30 * time.Second
)

// queue hands a remote event to bridgev2 (bridgekit's remote.Queue, which logs a refusal). On
// a lane it tries again, with back-off, while the failure may pass (the homeserver is down):
// the lane waits, and with it the chat's later events and the stored pts. When the connection
// ends first, the item is left unfinished and its update comes again on the next connection.
func (tc *Client) queue(ctx context.Context, evt bridgev2.RemoteEvent) {
	item, _ := ctx.Value(laneItemKey{}).(*laneItem)
	delay := retryFirst
	for !remote.Queue(tc.login, networkID, evt) {
		if item == nil {
			return
		}
		select {
		case <-ctx.Done():
			item.unfinished = true
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, retryMax)
	}
}

// peer queues fn, the bridging of update u, on the lane of the chat peer; an update of no chat
// the bridge knows runs inline after every lane.
func (in *inbound) peer(ctx context.Context, peer tg.PeerClass, u tg.UpdateClass, fn func(ctx context.Context)) {
	if peer == nil {
		in.barrier(ctx, fn)
		return
	}
	portal, ok := ids.PortalKey(peer, in.tc.login.ID)
	if !ok {
		in.barrier(ctx, fn)
		return
	}
	in.chat(portal, u, fn)
}

// message queues fn, the bridging of a message update, on its chat's lane. A group's upgrade to
// a supergroup moves a portal to another chat: it runs inline after every lane.
func (in *inbound) message(ctx context.Context, u tg.UpdateClass, m tg.MessageClass, fn func(ctx context.Context)) {
	var peer tg.PeerClass
	switch m := m.(type) {
	case *tg.Message:
		peer = m.PeerID
	case *tg.MessageService:
		switch m.Action.(type) {
		case *tg.MessageActionChatMigrateTo, *tg.MessageActionChannelMigrateFrom:
			in.barrier(ctx, fn)
			return
		}
		peer = m.PeerID
	case *tg.MessageEmpty:
		peer, _ = m.GetPeerID()
	}
	in.peer(ctx, peer, u, fn)
}
