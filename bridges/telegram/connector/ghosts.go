package connector

import (
	"context"

	"github.com/gotd/td/tg"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// Ghosts follow their Telegram users: a rename (updateUserName) changes the ghost's name at
// once; any other change (updateUser: a new profile photo, a new username) makes the bridge
// ask Telegram for the user again and update the ghost's name and avatar.

func (tc *Client) registerGhostHandlers(d tg.UpdateDispatcher) {
	d.OnUserName(func(_ context.Context, _ tg.Entities, u *tg.UpdateUserName) error {
		if old, ok := tc.user(u.UserID); ok {
			renamed := *old
			renamed.FirstName, renamed.LastName = u.FirstName, u.LastName
			if len(u.Usernames) > 0 {
				renamed.Username = u.Usernames[0].Username
			}
			tc.remember(&renamed)
		}
		go tc.refreshGhost(u.UserID, false)
		return nil
	})
	d.OnUser(func(_ context.Context, _ tg.Entities, u *tg.UpdateUser) error {
		go tc.refreshGhost(u.UserID, true)
		return nil
	})
}

// refreshGhost updates a ghost from what the bridge knows of its user, after asking Telegram
// again (users.getUsers) when fetch is set. Users the bridge never met are left alone.
func (tc *Client) refreshGhost(userID int64, fetch bool) {
	ctx := tc.login.Log.With().Int64("tg_user_id", userID).Logger().WithContext(context.Background())
	known, ok := tc.user(userID)
	if !ok {
		return
	}
	if api := tc.client(); fetch && api != nil {
		users, err := api.UsersGetUsers(ctx, []tg.InputUserClass{&tg.InputUser{UserID: userID, AccessHash: known.AccessHash}})
		if err != nil {
			tc.login.Log.Warn().Err(err).Int64("tg_user_id", userID).Msg("Failed to read a changed Telegram user")
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
		tc.login.Log.Warn().Err(err).Int64("tg_user_id", userID).Msg("Failed to get ghost to update")
		return
	}
	if info, err := tc.GetUserInfo(ctx, ghost); err == nil && info != nil {
		ghost.UpdateInfo(ctx, info)
	}
}
