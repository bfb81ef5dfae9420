package connector

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

var (
	_ bridgev2.RoomNameHandlingNetworkAPI   = (*Client)(nil)
	_ bridgev2.RoomTopicHandlingNetworkAPI  = (*Client)(nil)
	_ bridgev2.MembershipHandlingNetworkAPI = (*Client)(nil)
	_ bridgev2.GroupCreatingNetworkAPI      = (*Client)(nil)
)

// handleGroupInfo bridges a change of a group's name, description, members or admins.
func (wc *Client) handleGroupInfo(ctx context.Context, evt *events.GroupInfo) {
	change := &bridgev2.ChatInfoChange{ChatInfo: &bridgev2.ChatInfo{}}
	if evt.Name != nil {
		change.ChatInfo.Name = &evt.Name.Name
	}
	if evt.Topic != nil {
		topic := evt.Topic.Topic
		if evt.Topic.TopicDeleted {
			topic = ""
		}
		change.ChatInfo.Topic = &topic
	}
	if evt.Ephemeral != nil {
		seconds := uint32(0)
		if evt.Ephemeral.IsEphemeral {
			seconds = evt.Ephemeral.DisappearingTimer
		}
		change.ChatInfo.Disappear = disappearing(seconds)
	}
	members := bridgev2.ChatMemberMap{}
	set := func(jids []types.JID, membership event.Membership, level *int) {
		for _, jid := range jids {
			m := members[ids.UserID(jid)]
			m.EventSender = wc.sender(jid, jid.ToNonAD() == wc.ownJID())
			if membership != "" {
				m.Membership = membership
			}
			if level != nil {
				m.PowerLevel = level
			}
			members[ids.UserID(jid)] = m
		}
	}
	admin, member := adminPowerLevel, 0
	set(evt.Join, event.MembershipJoin, nil)
	set(evt.Leave, event.MembershipLeave, nil)
	set(evt.Promote, "", &admin)
	set(evt.Demote, "", &member)
	if len(members) > 0 {
		change.MemberChanges = &bridgev2.ChatMemberList{MemberMap: members}
	}
	sender := bridgev2.EventSender{}
	if evt.Sender != nil {
		sender = wc.sender(*evt.Sender, evt.Sender.ToNonAD() == wc.ownJID())
	}
	wc.queue(ctx, &simplevent.ChatInfoChange{
		EventMeta: simplevent.EventMeta{
			Type:      bridgev2.RemoteEventChatInfoChange,
			PortalKey: ids.PortalKey(evt.JID, wc.login.ID),
			Sender:    sender,
			Timestamp: evt.Timestamp,
		},
		ChatInfoChange: change,
	})
}

// handleJoinedGroup creates the portal of a group we were added to (or created elsewhere).
func (wc *Client) handleJoinedGroup(ctx context.Context, evt *events.JoinedGroup) {
	wc.queue(ctx, &simplevent.ChatResync{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventChatResync,
			PortalKey:    ids.PortalKey(evt.JID, wc.login.ID),
			CreatePortal: true,
		},
		ChatInfo: wc.groupChatInfo(&evt.GroupInfo),
	})
}

// groupJID is the JID of a group portal, or an error the Matrix user sees.
func groupJID(portal *bridgev2.Portal) (types.JID, error) {
	jid, err := ids.ParsePortalID(portal.ID)
	if err != nil {
		return jid, err
	}
	if jid.Server != types.GroupServer {
		return jid, errNotAGroup
	}
	return jid, nil
}

func (wc *Client) HandleMatrixRoomName(ctx context.Context, msg *bridgev2.MatrixRoomName) (bool, error) {
	jid, err := groupJID(msg.Portal)
	if err != nil || wc.wa == nil {
		return false, errors.Join(err, notConnectedIfNil(wc))
	}
	if err = wc.wa.SetGroupName(ctx, jid, msg.Content.Name); err != nil {
		return false, sendFailed(err)
	}
	return true, nil
}

func (wc *Client) HandleMatrixRoomTopic(ctx context.Context, msg *bridgev2.MatrixRoomTopic) (bool, error) {
	jid, err := groupJID(msg.Portal)
	if err != nil || wc.wa == nil {
		return false, errors.Join(err, notConnectedIfNil(wc))
	}
	prev := ""
	if info, err := wc.wa.GetGroupInfo(ctx, jid); err == nil {
		prev = info.TopicID
	}
	if err = wc.wa.SetGroupTopic(ctx, jid, prev, "", msg.Content.Topic); err != nil {
		return false, sendFailed(err)
	}
	return true, nil
}

// HandleMatrixMembership turns Matrix invites and kicks of ghosts into adding and removing
// group members. Leaving a Matrix room does not leave the WhatsApp group.
func (wc *Client) HandleMatrixMembership(ctx context.Context, msg *bridgev2.MatrixMembershipChange) (*bridgev2.MatrixMembershipResult, error) {
	var action whatsmeow.ParticipantChange
	switch msg.Type {
	case bridgev2.Invite:
		action = whatsmeow.ParticipantChangeAdd
	case bridgev2.Kick, bridgev2.BanJoined:
		action = whatsmeow.ParticipantChangeRemove
	default:
		// Joins, leaves and invites answered by the user need nothing on WhatsApp.
		return nil, nil
	}
	jid, err := groupJID(msg.Portal)
	if err != nil || wc.wa == nil {
		return nil, errors.Join(err, notConnectedIfNil(wc))
	}
	var target types.JID
	switch t := msg.Target.(type) {
	case *bridgev2.Ghost:
		if target, err = ids.ParseUserID(t.ID); err != nil {
			return nil, err
		}
	case *bridgev2.UserLogin:
		target = ids.LoginJID(t.ID)
	default:
		return nil, fmt.Errorf("membership change of unknown target %T", msg.Target)
	}
	if _, err = wc.wa.UpdateGroupParticipants(ctx, jid, []types.JID{target}, action); err != nil {
		return nil, sendFailed(err)
	}
	return &bridgev2.MatrixMembershipResult{}, nil
}

// CreateGroup creates a WhatsApp group with the given ghosts; bridgev2 then makes its portal.
func (wc *Client) CreateGroup(ctx context.Context, params *bridgev2.GroupCreateParams) (*bridgev2.CreateChatResponse, error) {
	if wc.wa == nil {
		return nil, errNotConnected
	}
	req := whatsmeow.ReqCreateGroup{}
	if params.Name != nil {
		req.Name = params.Name.Name
	}
	if req.Name == "" {
		return nil, errGroupNeedsName
	}
	for _, uid := range params.Participants {
		jid, err := ids.ParseUserID(uid)
		if err != nil {
			return nil, err
		}
		req.Participants = append(req.Participants, jid)
	}
	info, err := wc.wa.CreateGroup(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("create WhatsApp group: %w", err)
	}
	if params.Topic != nil && params.Topic.Topic != "" {
		if err = wc.wa.SetGroupTopic(ctx, info.JID, "", "", params.Topic.Topic); err == nil {
			info.Topic = params.Topic.Topic
		}
	}
	resp := &bridgev2.CreateChatResponse{
		PortalKey:  ids.PortalKey(info.JID, wc.login.ID),
		PortalInfo: wc.groupChatInfo(info),
	}
	if params.RoomID != "" {
		// `create-group` in an existing Matrix room: that room becomes the group's portal.
		if resp.Portal, err = wc.conn.Bridge.GetPortalByKey(ctx, resp.PortalKey); err != nil {
			return nil, fmt.Errorf("get portal of new group: %w", err)
		}
		err = resp.Portal.UpdateMatrixRoomID(ctx, params.RoomID, bridgev2.UpdateMatrixRoomIDParams{
			FailIfMXIDSet: true, ChatInfo: resp.PortalInfo, ChatInfoSource: wc.login,
		})
		if err != nil {
			return nil, fmt.Errorf("bridge room %s to the new group: %w", params.RoomID, err)
		}
	}
	return resp, nil
}
