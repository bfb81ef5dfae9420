package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
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
		if channel := ids.ChannelOf(msg.PeerID); channel != 0 {
			tc.moveGroup(ctx, ids.ChatPortal(a.ChatID, tc.login.ID), channel)
		}
	}
	return false
}

func (tc *Client) moveGroup(ctx context.Context, group networkid.PortalKey, channelID int64) {
	_, chatID, _ := ids.ParsePortal(group.ID)
	log := zerolog.Ctx(ctx).With().Int64("chat_id", chatID).Int64("migrated_to", channelID).Logger()
	ctx = log.WithContext(ctx)
	// The group's messages are numbered per account ("17"); in the supergroup's shared portal
	// (no receiver) such numbers would shadow every login's own messages with the same number,
	// since bridgev2 looks messages up in the login's portals and in shared ones. Nothing in
	// the supergroup refers to them (it numbers its messages anew), so the bridge forgets them
	// before moving the room; the Matrix room keeps them.
	if err := tc.forgetMessages(ctx, group); err != nil {
		log.Err(err).Msg("Failed to forget the group's messages before moving its room")
		return
	}
	result, _, err := tc.conn.Bridge.ReIDPortal(ctx, group, ids.ChannelPortal(channelID))
	if err != nil {
		log.Err(err).Msg("Failed to move the group's room to its supergroup")
		return
	}
	log.Info().Stringer("result", result).Msg("Moved the group's room to its supergroup")
	tc.mu.Lock()
	delete(tc.seenChannels, channelID) // let joinShared check this login's membership again
	tc.mu.Unlock()
}

// forgetMessages deletes the bridge's records of a portal's messages (not the Matrix events).
func (tc *Client) forgetMessages(ctx context.Context, portal networkid.PortalKey) error {
	for {
		msgs, err := tc.conn.Bridge.DB.Message.GetLastNInPortal(ctx, portal, 500)
		if err != nil {
			return fmt.Errorf("list messages: %w", err)
		}
		if len(msgs) == 0 {
			return nil
		}
		for _, m := range msgs {
			if err := tc.conn.Bridge.DB.Message.Delete(ctx, m.RowID); err != nil {
				return fmt.Errorf("delete message %s: %w", m.ID, err)
			}
		}
	}
}
