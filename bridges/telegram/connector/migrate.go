package connector

import (
	"context"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2/networkid"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// A basic group upgraded to a supergroup goes on as a new chat (a channel) on Telegram. Its
// room goes on too: the portal of the group becomes the portal of the supergroup (bridgev2's
// re-ID), so the conversation stays in one room. When several logins had rooms of the group,
// the first to see the upgrade keeps its room and the others get a tombstone pointing there;
// their users join it when they next see the supergroup.

// handleMigration moves a basic group's portal to the supergroup it became. Telegram says so
// twice: in the old group (migrateTo, which the bridge does not show) and as the first message
// of the supergroup (migrateFrom, shown as a notice); the two arrive in separate update
// sequences, so whichever comes first moves the room and the other finds nothing to move. It
// reports whether the message is done with (migrateTo).
func (tc *Client) handleMigration(ctx context.Context, portal networkid.PortalKey, msg *tg.MessageService) bool {
	switch a := msg.Action.(type) {
	case *tg.MessageActionChatMigrateTo:
		tc.moveGroup(ctx, portal, a.ChannelID)
		return true
	case *tg.MessageActionChannelMigrateFrom:
		if channel := channelOf(msg.PeerID); channel != 0 {
			tc.moveGroup(ctx, ids.ChatPortal(a.ChatID, tc.login.ID), channel)
		}
	}
	return false
}

func (tc *Client) moveGroup(ctx context.Context, group networkid.PortalKey, channelID int64) {
	log := tc.login.Log.With().Str("portal_id", string(group.ID)).Int64("channel_id", channelID).Logger()
	result, _, err := tc.conn.Bridge.ReIDPortal(log.WithContext(ctx), group, ids.ChannelPortal(channelID))
	if err != nil {
		log.Err(err).Msg("Failed to move the group's room to its supergroup")
		return
	}
	log.Info().Stringer("result", result).Msg("Moved the group's room to its supergroup")
	tc.mu.Lock()
	delete(tc.seenChannels, channelID) // let joinShared check this login's membership again
	tc.mu.Unlock()
}
