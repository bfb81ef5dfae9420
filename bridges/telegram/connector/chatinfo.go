package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

func (tc *Client) GetChatInfo(ctx context.Context, portal *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
	kind, peerID, err := ids.ParsePortal(portal.ID)
	if err != nil {
		return nil, err
	}
	switch kind {
	case ids.KindChat:
		return tc.basicGroupInfo(ctx, peerID)
	case ids.KindChannel:
		return tc.channelInfo(ctx, peerID)
	}
	other := peerID
	dm := database.RoomTypeDM
	own := networkidOfLogin(tc)
	return &bridgev2.ChatInfo{Type: &dm, CanBackfill: true, Members: &bridgev2.ChatMemberList{
		IsFull:      true,
		OtherUserID: ids.UserID(other),
		PowerLevels: pinPowerLevels(),
		MemberMap: bridgev2.ChatMemberMap{
			own:               {EventSender: bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: own}},
			ids.UserID(other): {EventSender: bridgev2.EventSender{Sender: ids.UserID(other)}},
		},
	}}, nil
}

// Power levels of Telegram basic-group roles in the portal room.
const (
	groupAdminLevel   = 50
	groupCreatorLevel = 75
)

// basicGroupInfo reads a basic group's title, description and members (messages.getFullChat).
func (tc *Client) basicGroupInfo(ctx context.Context, chatID int64) (*bridgev2.ChatInfo, error) {
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	full, err := api.MessagesGetFullChat(ctx, chatID)
	if err != nil {
		return nil, fmt.Errorf("get group %d: %w", chatID, err)
	}
	for _, u := range full.Users {
		if user, ok := u.(*tg.User); ok {
			tc.remember(user)
		}
	}
	info := &bridgev2.ChatInfo{CanBackfill: true, Members: &bridgev2.ChatMemberList{IsFull: true, MemberMap: bridgev2.ChatMemberMap{}, PowerLevels: pinPowerLevels()}}
	for _, c := range full.Chats {
		if chat, ok := c.(*tg.Chat); ok && chat.ID == chatID {
			info.Name = &chat.Title
		}
	}
	chatFull, ok := full.FullChat.(*tg.ChatFull)
	if !ok {
		return info, nil
	}
	info.Topic = &chatFull.About
	info.Avatar = tc.groupPhoto(chatFull)
	participants, ok := chatFull.Participants.(*tg.ChatParticipants)
	if !ok {
		return info, nil
	}
	for _, p := range participants.Participants {
		level := 0
		switch p.(type) {
		case *tg.ChatParticipantCreator:
			level = groupCreatorLevel
		case *tg.ChatParticipantAdmin:
			level = groupAdminLevel
		}
		userID := p.GetUserID()
		sender := bridgev2.EventSender{Sender: ids.UserID(userID)}
		if ids.LoginID(userID) == tc.login.ID {
			sender = bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: ids.UserID(userID)}
		}
		info.Members.MemberMap[ids.UserID(userID)] = bridgev2.ChatMember{EventSender: sender, PowerLevel: &level}
	}
	return info, nil
}
