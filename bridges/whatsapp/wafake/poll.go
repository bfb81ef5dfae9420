package wafake

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
)

// ParseWebMessage turns a history-sync message into a message event, like whatsmeow does.
func (c *Client) ParseWebMessage(chatJID types.JID, webMsg *waWeb.WebMessageInfo) (*events.Message, error) {
	return c.builder.ParseWebMessage(chatJID, webMsg)
}

func (c *Client) BuildPollCreation(name string, optionNames []string, selectableOptionCount int) *waE2E.Message {
	return c.builder.BuildPollCreation(name, optionNames, selectableOptionCount)
}

// BuildPollVote builds a vote. Real WhatsApp encrypts votes with the poll's secret; the fake
// carries the PollVoteMessage in the clear as the encrypted payload, which DecryptPollVote
// (and tests) read back.
func (c *Client) BuildPollVote(_ context.Context, pollInfo *types.MessageInfo, optionNames []string) (*waE2E.Message, error) {
	payload, err := proto.Marshal(PollVote(optionNames...))
	if err != nil {
		return nil, fmt.Errorf("marshal vote: %w", err)
	}
	return &waE2E.Message{PollUpdateMessage: &waE2E.PollUpdateMessage{
		PollCreationMessageKey: c.builder.BuildMessageKey(pollInfo.Chat, pollInfo.Sender, pollInfo.ID),
		Vote:                   &waE2E.PollEncValue{EncPayload: payload},
	}}, nil
}

// DecryptPollVote reads a vote built by BuildPollVote or VoteMessage.
func (c *Client) DecryptPollVote(_ context.Context, vote *events.Message) (*waE2E.PollVoteMessage, error) {
	upd := vote.Message.GetPollUpdateMessage()
	if upd == nil {
		return nil, fmt.Errorf("not a poll vote")
	}
	var out waE2E.PollVoteMessage
	if err := proto.Unmarshal(upd.GetVote().GetEncPayload(), &out); err != nil {
		return nil, fmt.Errorf("decrypt vote: %w", err)
	}
	return &out, nil
}
