package connector

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// handleEvent receives every whatsmeow event of this login, one at a time, in order. It
// returns false when an event could not be bridged for a reason that may pass (the homeserver
// was unreachable): whatsmeow then does not acknowledge it, and WhatsApp delivers it again.
//
// Messages (the bulk) are journalled instead (inbound.go): stored, acknowledged, and bridged on
// their chat's lane while whatsmeow hands over the next event. Every other event of a chat is
// still handled here, after that chat's lane has bridged what came before it.
func (wc *Client) handleEvent(rawEvt any) bool {
	log := wc.login.Log
	ctx, retry := withOutcome(log.WithContext(context.Background()))
	if msg, ok := rawEvt.(*events.Message); ok {
		return wc.journalMessage(ctx, msg)
	}
	if chat, ok := chatOf(rawEvt); ok {
		wc.waitChat(chat)
	}
	wc.handle(ctx, rawEvt)
	return !retry.Load()
}

// handle dispatches one whatsmeow event to the handler of its concern.
func (wc *Client) handle(ctx context.Context, rawEvt any) {
	log := wc.login.Log
	switch evt := rawEvt.(type) {
	case *events.Connected, *events.KeepAliveRestored:
		wc.mu.Lock()
		wc.retryDelay = time.Second
		wc.mu.Unlock()
		if _, ok := evt.(*events.Connected); ok && wc.everConnected.Swap(true) {
			metrics.Reconnected("connection_lost")
		}
		wc.login.BridgeState.Send(wc.connectedState())
	case *events.Disconnected:
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateTransientDisconnect, Error: stateDisconnected})
	case *events.KeepAliveTimeout:
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateTransientDisconnect, Error: stateKeepAlive})
	case *events.LoggedOut:
		wc.offline.Store(true)
		log.Warn().Bool("on_connect", evt.OnConnect).Int("reason", int(evt.Reason)).Msg("Logged out from WhatsApp")
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateBadCredentials, Error: stateLoggedOut})
	case *events.StreamReplaced:
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateUnknownError, Error: stateStreamReplaced})
	case *events.ClientOutdated:
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateUnknownError, Error: stateClientOutdated})
	case *events.ConnectFailure:
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateUnknownError, Error: stateConnectFailed, Message: evt.Message})
	case *events.Message:
		wc.handleMessage(ctx, evt)
	case *events.UndecryptableMessage:
		wc.handleUndecryptable(ctx, evt)
	case *events.Receipt:
		wc.handleReceipt(ctx, evt)
	case *events.ChatPresence:
		wc.handleChatPresence(ctx, evt)
	case *events.CallOffer:
		wc.handleCall(ctx, evt.BasicCallMeta, "voice", "")
	case *events.CallOfferNotice:
		wc.handleCall(ctx, evt.BasicCallMeta, evt.Media, evt.Type)
	case *events.GroupInfo:
		wc.handleGroupInfo(ctx, evt)
	case *events.Contact:
		wc.handleContact(ctx, evt)
	case *events.PushName:
		wc.refreshGhost(ctx, evt.JID)
	case *events.Presence:
		wc.handlePresence(ctx, evt)
	case *events.Picture:
		wc.handlePicture(ctx, evt)
	case *events.JoinedGroup:
		wc.handleJoinedGroup(ctx, evt)
	case *events.HistorySync:
		wc.handleHistorySync(ctx, evt)
	default:
		log.Trace().Type("whatsmeow_event", rawEvt).Msg("Ignoring WhatsApp event")
	}
}
