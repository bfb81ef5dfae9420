package connector

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// handlePinnedMessages bridges pins and unpins of a private chat or basic group.
func (tc *Client) handlePinnedMessages(ctx context.Context, u *tg.UpdatePinnedMessages) {
	if portal, ok := ids.PortalKey(u.Peer, tc.login.ID); ok {
		tc.queuePins(ctx, portal, bridgev2.EventSender{}, u.Pinned, u.Messages, time.Now())
	}
}

// pinPowerLevels lets every member pin, as Telegram lets both people of a private chat (and,
// by default, every member of a basic group) pin messages.
func pinPowerLevels() *bridgev2.PowerLevelOverrides {
	return &bridgev2.PowerLevelOverrides{Events: map[event.Type]int{event.StatePinnedEvents: 0}}
}

// queuePins queues the pinning (or unpinning) of Telegram messages in the portal's
// m.room.pinned_events, in the portal's order so that a message is bridged before its pin.
func (tc *Client) queuePins(ctx context.Context, portal networkid.PortalKey, sender bridgev2.EventSender, pinned bool, msgIDs []int, ts time.Time) {
	apply := func(ctx context.Context, p *bridgev2.Portal) bool {
		tc.applyPins(ctx, p, sender, pinned, msgIDs, ts)
		return false // the portal's own fields did not change
	}
	tc.queueChatInfo(ctx, portal, sender, ts, &bridgev2.ChatInfo{ExtraUpdates: apply}, nil)
}

// applyPins adds the Matrix events of the messages to the room's pinned events (or takes them
// off), as the sender's ghost if it may, else as the bridge bot. Messages the bridge never
// bridged are skipped.
func (tc *Client) applyPins(ctx context.Context, portal *bridgev2.Portal, sender bridgev2.EventSender, pinned bool, msgIDs []int, ts time.Time) {
	if portal.MXID == "" {
		return
	}
	log := zerolog.Ctx(ctx).With().Stringer("room_id", portal.MXID).Logger()
	var events []id.EventID
	for _, n := range msgIDs {
		msg, err := tc.conn.Bridge.DB.Message.GetFirstPartByID(ctx, portal.Receiver, ids.MessageIDIn(portalChannel(portal), n))
		if err != nil || msg == nil || msg.Room != portal.PortalKey {
			log.Debug().Err(err).Int("message_id", n).Msg("Not pinning a Telegram message that was not bridged")
			continue
		}
		events = append(events, msg.MXID)
	}
	current, err := tc.pinnedEvents(ctx, portal.MXID)
	if err != nil {
		log.Warn().Err(err).Msg("Failed to read the room's pinned events")
		return
	}
	next := changePins(current, events, pinned)
	if slices.Equal(next, current) {
		return
	}
	content := &event.Content{Parsed: &event.PinnedEventsEventContent{Pinned: next}}
	intent, ok := portal.GetIntentFor(ctx, sender, tc.login, bridgev2.RemoteEventChatInfoChange)
	if !ok {
		intent = tc.conn.Bridge.Bot
	}
	_, err = intent.SendState(ctx, portal.MXID, event.StatePinnedEvents, "", content, ts)
	if errors.Is(err, mautrix.MForbidden) && intent != tc.conn.Bridge.Bot {
		_, err = tc.conn.Bridge.Bot.SendState(ctx, portal.MXID, event.StatePinnedEvents, "", content, ts)
	}
	if err != nil {
		log.Warn().Err(err).Msg("Failed to update the room's pinned events")
	}
}

// pinnedEvents reads a room's pinned events; a room without any has none.
func (tc *Client) pinnedEvents(ctx context.Context, room id.RoomID) ([]id.EventID, error) {
	mx, ok := tc.conn.Bridge.Matrix.(bridgev2.MatrixConnectorWithArbitraryRoomState)
	if !ok {
		return nil, errors.New("the Matrix connector cannot read room state")
	}
	evt, err := mx.GetStateEvent(ctx, room, event.StatePinnedEvents, "")
	if errors.Is(err, mautrix.MNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if evt == nil {
		return nil, nil
	}
	if evt.Content.Parsed == nil {
		_ = evt.Content.ParseRaw(event.StatePinnedEvents)
	}
	if content, ok := evt.Content.Parsed.(*event.PinnedEventsEventContent); ok {
		return content.Pinned, nil
	}
	return nil, nil
}

// changePins is the pinned list with events added (at the end, as Matrix clients show the
// newest pin last) or removed.
func changePins(current, events []id.EventID, pinned bool) []id.EventID {
	next := slices.Clone(current)
	for _, evt := range events {
		has := slices.Contains(next, evt)
		switch {
		case pinned && !has:
			next = append(next, evt)
		case !pinned && has:
			next = slices.DeleteFunc(next, func(e id.EventID) bool { return e == evt })
		}
	}
	return next
}
