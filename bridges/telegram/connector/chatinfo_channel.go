package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

const (
	// writerLevel is what it takes to post in a room of a channel where not everyone may write.
	// Telegram users (ghosts) have it by default, since Telegram already decided they may post;
	// the Matrix user of a login that may not post is set below it. Reactions stay open to
	// everyone, as on Telegram, where subscribers react to posts they cannot answer.
	writerLevel = 10
	// maxListedMembers is how many supergroup members the bridge asks for; bigger groups get
	// their other members as they speak.
	maxListedMembers = 200
)

// channelInfo reads a supergroup's or channel's title, description and members
// (channels.getFullChannel, channels.getParticipants) and who may post in it.
func (tc *Client) channelInfo(ctx context.Context, channelID int64) (*bridgev2.ChatInfo, error) {
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	full, err := api.ChannelsGetFullChannel(ctx, tc.inputChannel(channelID))
	if tgerr.Is(err, "CHANNEL_PRIVATE") {
		// Removed from it (or it is gone): the user leaves its room.
		self := networkidOfLogin(tc)
		return &bridgev2.ChatInfo{Members: &bridgev2.ChatMemberList{MemberMap: bridgev2.ChatMemberMap{
			self: {EventSender: tc.memberSender(int64FromLogin(tc)), Membership: event.MembershipLeave},
		}}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get channel %d: %w", channelID, err)
	}
	tc.rememberChats(full.Chats)
	for _, u := range full.Users {
		if user, ok := u.(*tg.User); ok {
			tc.remember(user)
		}
	}
	ch, ok := tc.channel(channelID)
	if !ok {
		return nil, fmt.Errorf("get channel %d: Telegram did not describe it", channelID)
	}
	info := &bridgev2.ChatInfo{Name: &ch.Title, CanBackfill: true}
	if cf, ok := full.FullChat.(*tg.ChannelFull); ok {
		info.Topic = &cf.About
		info.Avatar = tc.photoAvatar(cf.ChatPhoto)
	}
	members := &bridgev2.ChatMemberList{MemberMap: bridgev2.ChatMemberMap{}, PowerLevels: channelPowerLevels(ch)}
	self := networkidOfLogin(tc)
	selfLevel := channelRoleLevel(ch)
	members.MemberMap[self] = bridgev2.ChatMember{EventSender: tc.memberSender(int64FromLogin(tc)), PowerLevel: &selfLevel}
	if ch.Broadcast {
		// Subscribers are not listed; the channel posts in its own name.
		level := groupAdminLevel
		ghost := ids.ChannelUserID(channelID)
		members.MemberMap[ghost] = bridgev2.ChatMember{EventSender: bridgev2.EventSender{Sender: ghost}, PowerLevel: &level}
	} else if err := tc.addParticipants(ctx, api, channelID, members); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Int64("chat_id", channelID).Msg("Failed to list supergroup members")
	}
	info.Members = members
	return info, nil
}

// addParticipants lists a supergroup's members with their roles.
func (tc *Client) addParticipants(ctx context.Context, api *tg.Client, channelID int64, members *bridgev2.ChatMemberList) error {
	res, err := api.ChannelsGetParticipants(ctx, &tg.ChannelsGetParticipantsRequest{
		Channel: tc.inputChannel(channelID), Filter: &tg.ChannelParticipantsRecent{}, Limit: maxListedMembers,
	})
	if err != nil {
		return fmt.Errorf("get participants: %w", err)
	}
	list, ok := res.(*tg.ChannelsChannelParticipants)
	if !ok {
		return nil // not modified
	}
	for _, u := range list.Users {
		if user, ok := u.(*tg.User); ok {
			tc.remember(user)
		}
	}
	for _, p := range list.Participants {
		var userID int64
		level := 0
		switch p := p.(type) {
		case *tg.ChannelParticipantCreator:
			userID, level = p.UserID, groupCreatorLevel
		case *tg.ChannelParticipantAdmin:
			userID, level = p.UserID, groupAdminLevel
		case *tg.ChannelParticipant:
			userID = p.UserID
		case *tg.ChannelParticipantSelf:
			userID = p.UserID
		default:
			continue // banned or left
		}
		if ids.LoginID(userID) == tc.login.ID {
			continue // listed with our own rights already
		}
		members.MemberMap[ids.UserID(userID)] = bridgev2.ChatMember{EventSender: tc.memberSender(userID), PowerLevel: &level}
	}
	members.IsFull = list.Count <= len(list.Participants)
	members.TotalMemberCount = list.Count
	return nil
}

// channelRoleLevel is the account's power level in a channel's room: creator, admin, a
// member who may write, or a reader.
func channelRoleLevel(ch *tg.Channel) int {
	switch _, admin := ch.GetAdminRights(); {
	case ch.Creator:
		return groupCreatorLevel
	case admin && canPost(ch):
		return groupAdminLevel
	}
	return 0
}

// channelPowerLevels makes a room read-only for those below writerLevel when not everyone may
// write: broadcast channels, and supergroups whose members are banned from writing.
func channelPowerLevels(ch *tg.Channel) *bridgev2.PowerLevelOverrides {
	everyone := !ch.Broadcast
	if banned, ok := ch.GetDefaultBannedRights(); ok && banned.SendMessages {
		everyone = false
	}
	if everyone {
		zero := 0
		return &bridgev2.PowerLevelOverrides{EventsDefault: &zero, UsersDefault: &zero}
	}
	level := writerLevel
	return &bridgev2.PowerLevelOverrides{
		EventsDefault: &level,
		UsersDefault:  &level,
		Events:        map[event.Type]int{event.EventReaction: 0, event.EventRedaction: 0},
	}
}

// int64FromLogin is the account's Telegram user ID.
func int64FromLogin(tc *Client) int64 {
	n, _ := ids.ParseUserID(networkidOfLogin(tc))
	return n
}
