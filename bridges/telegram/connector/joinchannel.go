package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// resolvedChannel answers `resolve-identifier` / `start-chat` for a public supergroup or
// channel: it is named by the ghost that posts in its name, and `start-chat` joins it (if the
// account is not in it yet) and opens its room for the user.
func (tc *Client) resolvedChannel(ctx context.Context, api *tg.Client, channelID int64, createChat bool) (*bridgev2.ResolveIdentifierResponse, error) {
	ghostID := ids.ChannelUserID(channelID)
	ghost, err := tc.conn.Bridge.GetGhostByID(ctx, ghostID)
	if err != nil {
		return nil, fmt.Errorf("get ghost of channel %d: %w", channelID, err)
	}
	resp := &bridgev2.ResolveIdentifierResponse{Ghost: ghost, UserID: ghostID}
	if ch, ok := tc.channel(channelID); ok {
		title := ch.Title
		resp.UserInfo = &bridgev2.UserInfo{Name: &title}
		if createChat && ch.Left {
			res, err := api.ChannelsJoinChannel(ctx, tc.inputChannel(channelID))
			if err != nil {
				return nil, refused(fmt.Errorf("could not join %s: %w", ch.Title, err))
			}
			if joined, ok := res.(*tg.MessagesChatInviteJoinResultOk); ok {
				if upd, ok := joined.Updates.(*tg.Updates); ok {
					tc.rememberChats(upd.Chats)
				}
			}
		}
	}
	if !createChat {
		return resp, nil
	}
	info, err := tc.channelInfo(ctx, channelID)
	if err != nil {
		return nil, err
	}
	key := ids.ChannelPortal(channelID)
	resp.Chat = &bridgev2.CreateChatResponse{PortalKey: key, PortalInfo: info}
	// The room may exist already (another Matrix user's login is in the channel): bring this
	// user in, as their login's first message there would.
	if portal, err := tc.conn.Bridge.GetExistingPortalByKey(ctx, key); err == nil && portal != nil && portal.MXID != "" {
		portal.UpdateInfo(ctx, info, tc.login, nil, time.Time{})
	}
	return resp, nil
}
