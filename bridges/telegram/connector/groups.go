package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

var (
	_ bridgev2.RoomNameHandlingNetworkAPI   = (*Client)(nil)
	_ bridgev2.RoomTopicHandlingNetworkAPI  = (*Client)(nil)
	_ bridgev2.MembershipHandlingNetworkAPI = (*Client)(nil)
)

// handleService bridges a group's service messages: title changes, members joining and
// leaving here; forum topics in handleTopicService; pins, photos and notices in
// handleOtherService.
func (tc *Client) handleService(ctx context.Context, msg *tg.MessageService) {
	if tc.handleTopicService(ctx, msg) {
		return
	}
	portal, ok := ids.PortalKey(msg.PeerID, tc.login.ID)
	if !ok || tc.handleMigration(ctx, portal, msg) {
		return
	}
	sender := bridgev2.EventSender{}
	if from, ok := msg.FromID.(*tg.PeerUser); ok {
		sender = tc.memberSender(from.UserID)
	}
	change := &bridgev2.ChatInfoChange{ChatInfo: &bridgev2.ChatInfo{}}
	members := bridgev2.ChatMemberMap{}
	switch a := msg.Action.(type) {
	case *tg.MessageActionChatEditTitle:
		title := a.Title
		change.ChatInfo.Name = &title
	case *tg.MessageActionChatAddUser:
		for _, u := range a.Users {
			members[ids.UserID(u)] = bridgev2.ChatMember{EventSender: tc.memberSender(u), Membership: event.MembershipJoin}
		}
	case *tg.MessageActionChatJoinedByLink:
		members[sender.Sender] = bridgev2.ChatMember{EventSender: sender, Membership: event.MembershipJoin}
	case *tg.MessageActionChatDeleteUser:
		members[ids.UserID(a.UserID)] = bridgev2.ChatMember{EventSender: tc.memberSender(a.UserID), Membership: event.MembershipLeave}
	default:
		tc.handleOtherService(ctx, portal, msg) // notices.go
		return
	}
	if len(members) > 0 {
		change.MemberChanges = &bridgev2.ChatMemberList{MemberMap: members}
	}
	tc.queue(ctx, &simplevent.ChatInfoChange{
		EventMeta:      simplevent.EventMeta{Type: bridgev2.RemoteEventChatInfoChange, PortalKey: portal, Sender: sender, Timestamp: time.Unix(int64(msg.Date), 0)},
		ChatInfoChange: change,
	})
}

// memberSender is a group member as bridgev2 names them. A member who is another login of
// this bridge is named with that login, so that shared rooms show their Matrix user.
func (tc *Client) memberSender(userID int64) bridgev2.EventSender {
	login := ids.LoginID(userID)
	if login == tc.login.ID {
		return bridgev2.EventSender{IsFromMe: true, SenderLogin: login, Sender: ids.UserID(userID)}
	}
	sender := bridgev2.EventSender{Sender: ids.UserID(userID)}
	if tc.conn.Bridge.GetCachedUserLoginByID(login) != nil {
		sender.SenderLogin = login
	}
	return sender
}

// group is the kind (ids.KindChat or ids.KindChannel) and ID of a group portal, or an error
// the Matrix user sees for private chats.
func group(portal *bridgev2.Portal) (kind string, id int64, err error) {
	kind, id, err = ids.ParsePortal(portal.ID)
	if err != nil {
		return "", 0, err
	}
	if kind == ids.KindUser {
		return "", 0, refused(fmt.Errorf("private chats have no title, description or members to change"))
	}
	return kind, id, nil
}

func (tc *Client) HandleMatrixRoomName(ctx context.Context, msg *bridgev2.MatrixRoomName) (bool, error) {
	kind, id, err := group(msg.Portal)
	if err != nil {
		return false, err
	}
	api := tc.client()
	if api == nil {
		return false, errNotConnected
	}
	var res tg.UpdatesClass
	if kind == ids.KindChannel {
		res, err = api.ChannelsEditTitle(ctx, &tg.ChannelsEditTitleRequest{Channel: tc.inputChannel(id), Title: msg.Content.Name})
	} else {
		res, err = api.MessagesEditChatTitle(ctx, &tg.MessagesEditChatTitleRequest{ChatID: id, Title: msg.Content.Name})
	}
	if err != nil {
		return false, notAccepted("change", err)
	}
	tc.absorb(ctx, res)
	return true, nil
}

func (tc *Client) HandleMatrixRoomTopic(ctx context.Context, msg *bridgev2.MatrixRoomTopic) (bool, error) {
	if _, _, err := group(msg.Portal); err != nil {
		return false, err
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return false, err
	}
	if _, err = api.MessagesEditChatAbout(ctx, &tg.MessagesEditChatAboutRequest{Peer: peer, About: msg.Content.Topic}); err != nil {
		return false, notAccepted("change", err)
	}
	return true, nil
}

// HandleMatrixMembership adds invited ghosts to the group and removes kicked ones.
func (tc *Client) HandleMatrixMembership(ctx context.Context, msg *bridgev2.MatrixMembershipChange) (*bridgev2.MatrixMembershipResult, error) {
	if msg.Type != bridgev2.Invite && msg.Type != bridgev2.Kick && msg.Type != bridgev2.BanJoined {
		return nil, nil // joins and leaves of Matrix users need nothing on Telegram
	}
	kind, id, err := group(msg.Portal)
	if err != nil {
		return nil, err
	}
	ghost, ok := msg.Target.(*bridgev2.Ghost)
	if !ok {
		return nil, refused(fmt.Errorf("only Telegram users can be invited to or removed from a Telegram group"))
	}
	userID, err := ids.ParseUserID(ghost.ID)
	if err != nil {
		return nil, err
	}
	input := &tg.InputUser{UserID: userID}
	if u, ok := tc.user(userID); ok {
		input.AccessHash = u.AccessHash
	}
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	switch {
	case kind == ids.KindChannel && msg.Type == bridgev2.Invite:
		_, err = api.ChannelsInviteToChannel(ctx, &tg.ChannelsInviteToChannelRequest{Channel: tc.inputChannel(id), Users: []tg.InputUserClass{input}})
	case kind == ids.KindChannel:
		// Removing from a supergroup is a ban from viewing it.
		rights := tg.ChatBannedRights{ViewMessages: true}
		rights.SetFlags()
		_, err = api.ChannelsEditBanned(ctx, &tg.ChannelsEditBannedRequest{Channel: tc.inputChannel(id),
			Participant: &tg.InputPeerUser{UserID: userID, AccessHash: input.AccessHash}, BannedRights: rights})
	case msg.Type == bridgev2.Invite:
		var invited *tg.MessagesInvitedUsers
		if invited, err = api.MessagesAddChatUser(ctx, &tg.MessagesAddChatUserRequest{ChatID: id, UserID: input, FwdLimit: 100}); err == nil {
			tc.absorb(ctx, invited.Updates)
		}
	default:
		var res tg.UpdatesClass
		if res, err = api.MessagesDeleteChatUser(ctx, &tg.MessagesDeleteChatUserRequest{ChatID: id, UserID: input}); err == nil {
			tc.absorb(ctx, res)
		}
	}
	if err != nil {
		return nil, notAccepted("change", err)
	}
	return &bridgev2.MatrixMembershipResult{}, nil
}
