package connector

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

// Power levels of WhatsApp group roles in the portal room.
const (
	adminPowerLevel      = 50
	superAdminPowerLevel = 75
)

func (wc *Client) GetChatInfo(ctx context.Context, portal *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
	chat, err := ids.ParsePortalID(portal.ID)
	if err != nil {
		return nil, err
	}
	switch chat.Server {
	case types.GroupServer:
		return wc.groupInfo(ctx, chat)
	case types.BroadcastServer:
		name := "WhatsApp broadcast list"
		if chat == types.StatusBroadcastJID {
			name = "WhatsApp Status"
		}
		return &bridgev2.ChatInfo{Name: &name, Members: wc.members(types.JID{})}, nil
	default:
		dm := database.RoomTypeDM
		return &bridgev2.ChatInfo{Type: &dm, Members: wc.members(chat)}, nil
	}
}

// members is the member list of a one-to-one chat with other (or just us, if other is empty).
func (wc *Client) members(other types.JID) *bridgev2.ChatMemberList {
	own := ids.UserID(wc.ownJID())
	list := &bridgev2.ChatMemberList{IsFull: true, MemberMap: bridgev2.ChatMemberMap{
		own: {EventSender: bridgev2.EventSender{IsFromMe: true, SenderLogin: wc.login.ID, Sender: own}},
	}}
	if !other.IsEmpty() {
		// Either person in a WhatsApp chat may change its disappearing timer.
		list.PowerLevels = &bridgev2.PowerLevelOverrides{Events: map[event.Type]int{event.StateBeeperDisappearingTimer: 0}}
		list.OtherUserID = ids.UserID(other)
		list.MemberMap[ids.UserID(other)] = bridgev2.ChatMember{EventSender: wc.sender(other, false)}
	}
	return list
}

func (wc *Client) groupInfo(ctx context.Context, chat types.JID) (*bridgev2.ChatInfo, error) {
	if wc.wa == nil {
		return nil, fmt.Errorf("get group info %s: not connected", chat)
	}
	info, err := wc.wa.GetGroupInfo(ctx, chat)
	if err != nil {
		return nil, fmt.Errorf("get group info %s: %w", chat, err)
	}
	chatInfo := wc.groupChatInfo(info)
	chatInfo.Avatar = wc.avatar(ctx, chat)
	return chatInfo, nil
}

// groupChatInfo is the portal view of a WhatsApp group.
func (wc *Client) groupChatInfo(info *types.GroupInfo) *bridgev2.ChatInfo {
	members := &bridgev2.ChatMemberList{IsFull: true, MemberMap: bridgev2.ChatMemberMap{}}
	for _, p := range info.Participants {
		level := 0
		switch {
		case p.IsSuperAdmin:
			level = superAdminPowerLevel
		case p.IsAdmin:
			level = adminPowerLevel
		}
		fromMe := p.JID.ToNonAD() == wc.ownJID()
		members.MemberMap[ids.UserID(p.JID)] = bridgev2.ChatMember{EventSender: wc.sender(p.JID, fromMe), PowerLevel: &level}
	}
	name, topic := info.Name, info.Topic
	seconds := uint32(0)
	if info.IsEphemeral {
		seconds = info.DisappearingTimer
	}
	return &bridgev2.ChatInfo{Name: &name, Topic: &topic, Members: members, Disappear: disappearing(seconds)}
}
