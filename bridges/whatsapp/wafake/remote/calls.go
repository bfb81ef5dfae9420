package remote

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

func (c *Client) SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	if !c.IsConnected() {
		return whatsmeow.SendResponse{}, whatsmeow.ErrNotConnected
	}
	data, err := proto.Marshal(message)
	if err != nil {
		return whatsmeow.SendResponse{}, fmt.Errorf("encode message: %w", err)
	}
	req := wafake.SendRequest{To: to, Message: data}
	if len(extra) > 0 {
		req.ID = extra[0].ID
	}
	var resp whatsmeow.SendResponse
	if err := c.call(ctx, "send", req, &resp); err != nil {
		return whatsmeow.SendResponse{}, err
	}
	return resp, nil
}

func (c *Client) MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, _ ...types.ReceiptType) error {
	return c.call(ctx, "read", wafake.ReadRequest{IDs: ids, Timestamp: timestamp, Chat: chat, Sender: sender}, nil)
}

func (c *Client) SubscribePresence(ctx context.Context, jid types.JID) error {
	return c.call(ctx, "subscribe-presence", wafake.JIDRequest{JID: jid}, nil)
}

func (c *Client) SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error {
	return c.call(ctx, "chat-presence", wafake.ChatPresenceRequest{JID: jid, State: state, Media: media}, nil)
}

func (c *Client) GetGroupInfo(ctx context.Context, jid types.JID) (*types.GroupInfo, error) {
	var info *types.GroupInfo
	if err := c.call(ctx, "group-info", wafake.JIDRequest{JID: jid}, &info); err != nil {
		return nil, err
	}
	return info, nil
}

func (c *Client) GetProfilePictureInfo(ctx context.Context, jid types.JID, _ *whatsmeow.GetProfilePictureParams) (*types.ProfilePictureInfo, error) {
	var info *types.ProfilePictureInfo
	if err := c.call(ctx, "picture", wafake.JIDRequest{JID: jid}, &info); err != nil {
		return nil, err
	}
	return info, nil
}

func (c *Client) GetUserInfo(ctx context.Context, jids []types.JID) (map[types.JID]types.UserInfo, error) {
	var out map[types.JID]types.UserInfo
	if err := c.call(ctx, "user-info", wafake.UserInfoRequest{JIDs: jids}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Pure message builders: those of an unconnected whatsmeow client.

func (c *Client) BuildEdit(chat types.JID, id types.MessageID, newContent *waE2E.Message) *waE2E.Message {
	return c.builder.BuildEdit(chat, id, newContent)
}

func (c *Client) BuildRevoke(chat, sender types.JID, id types.MessageID) *waE2E.Message {
	return c.builder.BuildRevoke(chat, sender, id)
}

func (c *Client) BuildReaction(chat, sender types.JID, id types.MessageID, reaction string) *waE2E.Message {
	return c.builder.BuildReaction(chat, sender, id, reaction)
}

func (c *Client) BuildPollCreation(name string, optionNames []string, selectableOptionCount int) *waE2E.Message {
	return c.builder.BuildPollCreation(name, optionNames, selectableOptionCount)
}

func (c *Client) ParseWebMessage(chatJID types.JID, webMsg *waWeb.WebMessageInfo) (*events.Message, error) {
	return c.builder.ParseWebMessage(chatJID, webMsg)
}

// What the chaos scenarios do not use.

func (c *Client) BuildPollVote(context.Context, *types.MessageInfo, []string) (*waE2E.Message, error) {
	return nil, fmt.Errorf("build poll vote: %w", ErrNotSupported)
}

func (c *Client) DecryptPollVote(context.Context, *events.Message) (*waE2E.PollVoteMessage, error) {
	return nil, fmt.Errorf("decrypt poll vote: %w", ErrNotSupported)
}

func (c *Client) Upload(context.Context, []byte, whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	return whatsmeow.UploadResponse{}, fmt.Errorf("upload media: %w", ErrNotSupported)
}

func (c *Client) Download(context.Context, whatsmeow.DownloadableMessage) ([]byte, error) {
	return nil, fmt.Errorf("download media: %w", ErrNotSupported)
}

func (c *Client) CreateGroup(context.Context, whatsmeow.ReqCreateGroup) (*types.GroupInfo, error) {
	return nil, fmt.Errorf("create group: %w", ErrNotSupported)
}

func (c *Client) SetGroupName(context.Context, types.JID, string) error {
	return fmt.Errorf("set group name: %w", ErrNotSupported)
}

func (c *Client) SetGroupPhoto(context.Context, types.JID, []byte) (string, error) {
	return "", fmt.Errorf("set group photo: %w", ErrNotSupported)
}

func (c *Client) SetDisappearingTimer(context.Context, types.JID, time.Duration, time.Time) error {
	return fmt.Errorf("set disappearing timer: %w", ErrNotSupported)
}

func (c *Client) SetGroupTopic(context.Context, types.JID, string, string, string) error {
	return fmt.Errorf("set group topic: %w", ErrNotSupported)
}

func (c *Client) UpdateGroupParticipants(context.Context, types.JID, []types.JID, whatsmeow.ParticipantChange) ([]types.GroupParticipant, error) {
	return nil, fmt.Errorf("update group participants: %w", ErrNotSupported)
}

func (c *Client) IsOnWhatsApp(context.Context, []string) ([]types.IsOnWhatsAppResponse, error) {
	return nil, fmt.Errorf("look up phone numbers: %w", ErrNotSupported)
}
