package connector

import (
	"context"
	"strings"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

func (tc *Client) GetChatInfo(_ context.Context, portal *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
	other, err := ids.ParseUserPortal(portal.ID)
	if err != nil {
		return nil, err
	}
	dm := database.RoomTypeDM
	own := networkidOfLogin(tc)
	return &bridgev2.ChatInfo{Type: &dm, CanBackfill: true, Members: &bridgev2.ChatMemberList{
		IsFull:      true,
		OtherUserID: ids.UserID(other),
		MemberMap: bridgev2.ChatMemberMap{
			own:               {EventSender: bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: own}},
			ids.UserID(other): {EventSender: bridgev2.EventSender{Sender: ids.UserID(other)}},
		},
	}}, nil
}

// GetUserInfo names a ghost from what Telegram last told us about the user.
func (tc *Client) GetUserInfo(_ context.Context, ghost *bridgev2.Ghost) (*bridgev2.UserInfo, error) {
	id, err := ids.ParseUserID(ghost.ID)
	if err != nil {
		return nil, err
	}
	u, ok := tc.user(id)
	if !ok {
		return nil, nil
	}
	return userInfo(u), nil
}

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
