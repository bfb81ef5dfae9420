package connector

import (
	"context"
	"strings"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// Ghosts follow their Telegram users: a rename (updateUserName) changes the ghost's name at
// once; any other change (updateUser: a new profile photo, a new username) makes the bridge
// ask Telegram for the user again and update the ghost's name and avatar.

// handleUserName renames a ghost at once, then refreshes it.
func (tc *Client) handleUserName(u *tg.UpdateUserName) {
	if old, ok := tc.user(u.UserID); ok {
		renamed := *old
		renamed.FirstName, renamed.LastName = u.FirstName, u.LastName
		if len(u.Usernames) > 0 {
			renamed.Username = u.Usernames[0].Username
		}
		tc.remember(&renamed)
	}
	go tc.refreshGhost(u.UserID, false)
}

// refreshGhost updates a ghost from what the bridge knows of its user, after asking Telegram
// again (users.getUsers) when fetch is set. Users the bridge never met are left alone.
func (tc *Client) refreshGhost(userID int64, fetch bool) {
	log := tc.login.Log.With().Int64("user_id", userID).Logger()
	ctx := log.WithContext(context.Background())
	known, ok := tc.user(userID)
	if !ok {
		return
	}
	if api := tc.client(); fetch && api != nil {
		users, err := api.UsersGetUsers(ctx, []tg.InputUserClass{&tg.InputUser{UserID: userID, AccessHash: known.AccessHash}})
		if err != nil {
			log.Warn().Err(err).Msg("Failed to read a changed Telegram user")
			return
		}
		for _, u := range users {
			if user, ok := u.(*tg.User); ok && user.ID == userID {
				tc.remember(user)
			}
		}
	}
	ghost, err := tc.conn.Bridge.GetGhostByID(ctx, ids.UserID(userID))
	if err != nil {
		log.Warn().Err(err).Msg("Failed to get ghost to update")
		return
	}
	if info, err := tc.GetUserInfo(ctx, ghost); err == nil && info != nil {
		ghost.UpdateInfo(ctx, info)
	}
}

// GetUserInfo names a ghost from what Telegram last told us about the user (or channel).
func (tc *Client) GetUserInfo(_ context.Context, ghost *bridgev2.Ghost) (*bridgev2.UserInfo, error) {
	if channelID, err := ids.ParseChannelUserID(ghost.ID); err == nil {
		ch, ok := tc.channel(channelID)
		if !ok {
			return nil, nil
		}
		name := ch.Title
		return &bridgev2.UserInfo{Name: &name}, nil
	}
	id, err := ids.ParseUserID(ghost.ID)
	if err != nil {
		return nil, err
	}
	u, ok := tc.user(id)
	if !ok {
		return nil, nil
	}
	info := userInfo(u)
	info.Avatar = tc.userAvatar(u)
	return info, nil
}

// userInfo is a ghost's name, bot flag and identifiers (username, phone) from a Telegram user.
func userInfo(u *tg.User) *bridgev2.UserInfo {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = u.Username
	}
	if name == "" {
		name = "Telegram user " + string(ids.UserID(u.ID))
	}
	info := &bridgev2.UserInfo{Name: &name, IsBot: &u.Bot}
	if u.Username != "" {
		info.Identifiers = append(info.Identifiers, "telegram:"+u.Username)
	}
	if u.Phone != "" {
		info.Identifiers = append(info.Identifiers, "tel:+"+u.Phone)
	}
	return info
}
