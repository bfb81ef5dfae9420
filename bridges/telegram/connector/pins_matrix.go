package connector

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/matrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// hookMatrixPins makes the bridge follow m.room.pinned_events changes by Matrix users.
// bridgev2 v0.31.0 has no interface for pins and does not hand the event to connectors, so the
// connector listens on the Matrix connector's event processor itself (before it starts).
func (c *Connector) hookMatrixPins() {
	mx, ok := c.Bridge.Matrix.(*matrix.Connector)
	if !ok || mx.EventProcessor == nil {
		return
	}
	mx.EventProcessor.On(event.StatePinnedEvents, c.handleMatrixPins)
}

// handleMatrixPins pins on Telegram what a Matrix user pinned, and unpins what they unpinned.
// Changes by ghosts and the bot are the bridge's own (from Telegram) and are skipped.
func (c *Connector) handleMatrixPins(_ context.Context, evt *event.Event) {
	if evt.Sender == c.Bridge.Bot.GetMXID() || c.Bridge.IsGhostMXID(evt.Sender) {
		return
	}
	if _, ok := evt.Content.Raw[appservice.DoublePuppetKey]; ok {
		return // the bridge pinned this as the user's double puppet
	}
	added, removed := pinDiff(pinnedList(&evt.Content), pinnedList(evt.Unsigned.PrevContent))
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	// The Telegram requests should not hold up the appservice transaction.
	go c.pinOnTelegram(evt.RoomID, evt.Sender, added, removed)
}

// pinnedList is the pinned events of a pinned-events content (nil content: none).
func pinnedList(content *event.Content) []id.EventID {
	if content == nil {
		return nil
	}
	if content.Parsed == nil {
		_ = content.ParseRaw(event.StatePinnedEvents)
	}
	if p, ok := content.Parsed.(*event.PinnedEventsEventContent); ok {
		return p.Pinned
	}
	return nil
}

// pinDiff is what a change of the pinned list added and removed.
func pinDiff(now, before []id.EventID) (added, removed []id.EventID) {
	for _, e := range now {
		if !slices.Contains(before, e) {
			added = append(added, e)
		}
	}
	for _, e := range before {
		if !slices.Contains(now, e) {
			removed = append(removed, e)
		}
	}
	return added, removed
}

func (c *Connector) pinOnTelegram(room id.RoomID, sender id.UserID, added, removed []id.EventID) {
	log := c.Bridge.Log.With().Str("action", "matrix pins").Stringer("room_id", room).Logger()
	ctx, cancel := context.WithTimeout(log.WithContext(c.Bridge.BackgroundCtx), 2*time.Minute)
	defer cancel()
	portal, err := c.Bridge.GetPortalByMXID(ctx, room)
	if err != nil || portal == nil {
		return // not a portal
	}
	user, err := c.Bridge.GetExistingUserByMXID(ctx, sender)
	if err != nil || user == nil || !user.Permissions.SendEvents {
		return
	}
	login, _, err := portal.FindPreferredLogin(ctx, user, false)
	if err != nil || login == nil {
		log.Debug().Err(err).Msg("Not pinning on Telegram: the user has no Telegram login in this chat")
		return
	}
	tc, ok := login.Client.(*Client)
	if !ok {
		return
	}
	for i, list := range [][]id.EventID{added, removed} {
		for _, evtID := range list {
			if err := tc.pin(ctx, portal, evtID, i == 1); err != nil {
				log.Warn().Err(err).Stringer("event_id", evtID).Msg("Failed to change a pin on Telegram")
				c.pinFailed(ctx, room, err)
			}
		}
	}
}

// pin pins (or unpins) the Telegram message of a Matrix event. Events that are not bridged
// Telegram messages (e.g. notices of the bridge) cannot be pinned there and are skipped.
func (tc *Client) pin(ctx context.Context, portal *bridgev2.Portal, evtID id.EventID, unpin bool) error {
	msg, err := tc.conn.Bridge.DB.Message.GetPartByMXID(ctx, evtID)
	if err != nil {
		return fmt.Errorf("find pinned message: %w", err)
	} else if msg == nil || msg.Room != portal.PortalKey {
		zerolog.Ctx(ctx).Debug().Stringer("event_id", evtID).Msg("Not pinning an event that is not a Telegram message")
		return nil
	}
	_, msgID, err := ids.ParseMessageID(msg.ID)
	if err != nil {
		return err
	}
	api, peer, err := tc.target(portal)
	if err != nil {
		return err
	}
	req := &tg.MessagesUpdatePinnedMessageRequest{Peer: peer, ID: msgID}
	if unpin {
		req.SetUnpin(true)
	}
	if _, err := api.MessagesUpdatePinnedMessage(ctx, req); err != nil {
		return fmt.Errorf("update pinned message: %w", err)
	}
	return nil
}

// pinFailed tells the room that a pin did not reach Telegram.
func (c *Connector) pinFailed(ctx context.Context, room id.RoomID, err error) {
	content := &event.Content{Parsed: &event.MessageEventContent{
		MsgType: event.MsgNotice,
		Body:    "The pin could not be changed on Telegram: " + err.Error(),
	}}
	if _, sendErr := c.Bridge.Bot.SendMessage(ctx, room, event.EventMessage, content, nil); sendErr != nil {
		zerolog.Ctx(ctx).Warn().Err(sendErr).Msg("Failed to send a notice about a failed pin")
	}
}
