package fakenet

import (
	"context"
	"fmt"
	"time"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"
)

// client is the NetworkAPI of one logged-in fake-network account.
type client struct {
	net   *Network
	login *bridgev2.UserLogin
}

var _ bridgev2.NetworkAPI = (*client)(nil)

func (c *client) Connect(context.Context) {
	c.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnected})
}

func (c *client) Disconnect() {}

func (c *client) IsLoggedIn() bool { return true }

func (c *client) LogoutRemote(context.Context) {}

func (c *client) IsThisUser(_ context.Context, userID networkid.UserID) bool {
	return string(userID) == string(c.login.ID)
}

func (c *client) GetChatInfo(_ context.Context, portal *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
	other, ok := cutDM(portal.ID)
	if !ok {
		return nil, fmt.Errorf("get chat info %s: %w", portal.ID, errUnsupported)
	}
	roomType := database.RoomTypeDM
	return &bridgev2.ChatInfo{
		Type: &roomType,
		Members: &bridgev2.ChatMemberList{
			IsFull:      true,
			OtherUserID: networkid.UserID(other),
			MemberMap: bridgev2.ChatMemberMap{
				networkid.UserID(c.login.ID): {EventSender: bridgev2.EventSender{IsFromMe: true, Sender: networkid.UserID(c.login.ID)}},
				networkid.UserID(other):      {EventSender: bridgev2.EventSender{Sender: networkid.UserID(other)}},
			},
		},
	}, nil
}

func (c *client) GetUserInfo(_ context.Context, ghost *bridgev2.Ghost) (*bridgev2.UserInfo, error) {
	name := c.net.name(string(ghost.ID))
	return &bridgev2.UserInfo{Name: &name}, nil
}

func (c *client) GetCapabilities(context.Context, *bridgev2.Portal) *event.RoomFeatures {
	return &event.RoomFeatures{ID: "fi.mxb.fakenet.capabilities.v1", MaxTextLength: 4096}
}

func (c *client) HandleMatrixMessage(_ context.Context, msg *bridgev2.MatrixMessage) (*bridgev2.MatrixMessageResponse, error) {
	if msg.Content.MsgType != event.MsgText && msg.Content.MsgType != event.MsgNotice && msg.Content.MsgType != event.MsgEmote {
		return nil, fmt.Errorf("send %s: %w", msg.Content.MsgType, errUnsupported)
	}
	other, ok := cutDM(msg.Portal.ID)
	if !ok {
		return nil, fmt.Errorf("send to %s: %w", msg.Portal.ID, errUnsupported)
	}
	sent := Sent{Login: string(c.login.ID), Chat: other, Text: msg.Content.Body, ID: c.net.newMessageID()}
	select {
	case c.net.outbox <- sent:
	default:
		return nil, fmt.Errorf("send message: fake network outbox is full")
	}
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID:        networkid.MessageID(sent.ID),
		SenderID:  networkid.UserID(c.login.ID),
		Timestamp: time.Now(),
	}}, nil
}

func cutDM(id networkid.PortalID) (string, bool) {
	s := string(id)
	if len(s) > 3 && s[:3] == "dm:" {
		return s[3:], true
	}
	return "", false
}
