package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

var _ bridgev2.GroupCreatingNetworkAPI = (*Client)(nil)

// Kinds of chat `create-group` makes (its argument), as Telegram calls them.
const (
	groupTypeBasic      = "group"
	groupTypeSupergroup = "supergroup"
	groupTypeChannel    = "channel"
	maxTitleLength      = 128
	maxAboutLength      = 255
)

// groupCreation is what `create-group` and the provisioning API may make.
var groupCreation = map[string]bridgev2.GroupTypeCapabilities{
	groupTypeBasic: {
		TypeDescription: "a Telegram group (small, everyone may change its title)",
		Name:            bridgev2.GroupFieldCapability{Allowed: true, Required: true, MinLength: 1, MaxLength: maxTitleLength},
		Topic:           bridgev2.GroupFieldCapability{Allowed: true, MaxLength: maxAboutLength},
		Participants:    bridgev2.GroupFieldCapability{Allowed: true, Required: true, MinLength: 1},
	},
	groupTypeSupergroup: {
		TypeDescription: "a Telegram supergroup (large, with admins)",
		Name:            bridgev2.GroupFieldCapability{Allowed: true, Required: true, MinLength: 1, MaxLength: maxTitleLength},
		Topic:           bridgev2.GroupFieldCapability{Allowed: true, MaxLength: maxAboutLength},
		Participants:    bridgev2.GroupFieldCapability{Allowed: true},
	},
	groupTypeChannel: {
		TypeDescription: "a Telegram channel (only admins post)",
		Name:            bridgev2.GroupFieldCapability{Allowed: true, Required: true, MinLength: 1, MaxLength: maxTitleLength},
		Topic:           bridgev2.GroupFieldCapability{Allowed: true, MaxLength: maxAboutLength},
		Participants:    bridgev2.GroupFieldCapability{Allowed: true},
	},
}

// CreateGroup makes a Telegram group, supergroup or channel with the given people; when run
// in a Matrix room (`create-group`), that room becomes its portal.
func (tc *Client) CreateGroup(ctx context.Context, params *bridgev2.GroupCreateParams) (*bridgev2.CreateChatResponse, error) {
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	title, about := "", ""
	if params.Name != nil {
		title = params.Name.Name
	}
	if params.Topic != nil {
		about = params.Topic.Topic
	}
	if title == "" {
		return nil, errNoGroupName
	}
	users, err := tc.inputUsers(params.Participants)
	if err != nil {
		return nil, err
	}
	var key networkid.PortalKey
	switch params.Type {
	case groupTypeBasic, "":
		key, err = tc.createBasicGroup(ctx, api, title, about, users)
	case groupTypeSupergroup, groupTypeChannel:
		key, err = tc.createChannel(ctx, api, params.Type == groupTypeChannel, title, about, users)
	default:
		return nil, errUnknownChatKind(params.Type)
	}
	if err != nil {
		return nil, err
	}
	resp := &bridgev2.CreateChatResponse{PortalKey: key}
	if resp.Portal, err = tc.conn.Bridge.GetPortalByKey(ctx, key); err != nil {
		return nil, fmt.Errorf("get portal of new group: %w", err)
	}
	if resp.PortalInfo, err = tc.GetChatInfo(ctx, resp.Portal); err != nil {
		return nil, fmt.Errorf("read new group: %w", err)
	}
	if params.RoomID != "" {
		err = resp.Portal.UpdateMatrixRoomID(ctx, params.RoomID, bridgev2.UpdateMatrixRoomIDParams{
			FailIfMXIDSet: true, ChatInfo: resp.PortalInfo, ChatInfoSource: tc.login,
		})
		if err != nil {
			return nil, fmt.Errorf("bridge room %s to the new group: %w", params.RoomID, err)
		}
	}
	return resp, nil
}

// inputUsers are the Telegram users of ghosts, with the access hashes the bridge knows.
func (tc *Client) inputUsers(ghosts []networkid.UserID) ([]tg.InputUserClass, error) {
	out := make([]tg.InputUserClass, 0, len(ghosts))
	for _, g := range ghosts {
		userID, err := ids.ParseUserID(g)
		if err != nil {
			return nil, refused(fmt.Errorf("%s is not a Telegram user", g))
		}
		u, ok := tc.user(userID)
		if !ok {
			return nil, refused(fmt.Errorf("Telegram user %d is unknown to this login: start a chat with them first", userID))
		}
		out = append(out, &tg.InputUser{UserID: userID, AccessHash: u.AccessHash})
	}
	return out, nil
}

func (tc *Client) createBasicGroup(ctx context.Context, api *tg.Client, title, about string, users []tg.InputUserClass) (networkid.PortalKey, error) {
	res, err := api.MessagesCreateChat(ctx, &tg.MessagesCreateChatRequest{Users: users, Title: title})
	if err != nil {
		return networkid.PortalKey{}, fmt.Errorf("create Telegram group: %w", err)
	}
	var chatID int64
	if upd, ok := res.Updates.(*tg.Updates); ok {
		for _, c := range upd.Chats {
			if chat, ok := c.(*tg.Chat); ok {
				chatID = chat.ID
			}
		}
	}
	if chatID == 0 {
		return networkid.PortalKey{}, fmt.Errorf("create Telegram group: the answer names no group")
	}
	if about != "" {
		if _, err = api.MessagesEditChatAbout(ctx, &tg.MessagesEditChatAboutRequest{Peer: &tg.InputPeerChat{ChatID: chatID}, About: about}); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to set the new group's description")
		}
	}
	return ids.ChatPortal(chatID, tc.login.ID), nil
}

func (tc *Client) createChannel(ctx context.Context, api *tg.Client, broadcast bool, title, about string, users []tg.InputUserClass) (networkid.PortalKey, error) {
	res, err := api.ChannelsCreateChannel(ctx, &tg.ChannelsCreateChannelRequest{Broadcast: broadcast, Megagroup: !broadcast, Title: title, About: about})
	if err != nil {
		return networkid.PortalKey{}, fmt.Errorf("create Telegram channel: %w", err)
	}
	var channelID int64
	if upd, ok := res.(*tg.Updates); ok {
		tc.rememberChats(upd.Chats)
		for _, c := range upd.Chats {
			if ch, ok := c.(*tg.Channel); ok {
				channelID = ch.ID
			}
		}
	}
	if channelID == 0 {
		return networkid.PortalKey{}, fmt.Errorf("create Telegram channel: the answer names no channel")
	}
	if len(users) > 0 {
		if _, err = api.ChannelsInviteToChannel(ctx, &tg.ChannelsInviteToChannelRequest{Channel: tc.inputChannel(channelID), Users: users}); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to add people to the new channel")
		}
	}
	return ids.ChannelPortal(channelID), nil
}
