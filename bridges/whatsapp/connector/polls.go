package connector

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
	msgstatus "github.com/mxbridges/mxbridges/pkg/bridgekit/status"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

var _ bridgev2.PollHandlingNetworkAPI = (*Client)(nil)

// pollToMatrix converts a WhatsApp poll, keeping its options for later votes.
func pollToMatrix(evt *events.Message) *bridgev2.ConvertedMessage {
	part, options := waconv.PollToMatrix(evt.Message)
	part.DBMetadata = &MessageMetadata{PollOptions: options}
	return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{part}}
}

// voteToMatrix decrypts a WhatsApp vote and turns it into a poll response to the bridged poll.
func (wc *Client) voteToMatrix(ctx context.Context, portal *bridgev2.Portal, evt *events.Message) (*bridgev2.ConvertedMessage, error) {
	if wc.wa == nil {
		return nil, fmt.Errorf("decrypt poll vote: not connected")
	}
	vote, err := wc.wa.DecryptPollVote(ctx, evt)
	if err != nil {
		return nil, fmt.Errorf("decrypt poll vote: %w", err)
	}
	key := evt.Message.GetPollUpdateMessage().GetPollCreationMessageKey()
	target := wc.targetOf(evt.Info, key)
	poll, err := wc.conn.Bridge.DB.Message.GetFirstPartByID(ctx, portal.Receiver, target)
	if err != nil {
		return nil, fmt.Errorf("find voted poll %s: %w", target, err)
	} else if poll == nil {
		return nil, fmt.Errorf("vote for unknown poll %s: %w", target, bridgev2.ErrIgnoringRemoteEvent)
	}
	meta, _ := poll.Metadata.(*MessageMetadata)
	if meta == nil || meta.PollOptions == nil {
		return nil, fmt.Errorf("vote for %s, which is not a bridged poll: %w", target, bridgev2.ErrIgnoringRemoteEvent)
	}
	part := waconv.VoteToMatrix(poll.MXID, vote.GetSelectedOptions(), meta.PollOptions)
	return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{part}}, nil
}

func (wc *Client) HandleMatrixPollStart(ctx context.Context, msg *bridgev2.MatrixPollStart) (_ *bridgev2.MatrixMessageResponse, sendErr error) {
	defer metrics.Sent("poll", time.Now(), &sendErr)
	question, names, options, maxSelections, err := waconv.PollFromMatrix(msg.Content)
	if err != nil {
		return nil, msgstatus.Refused(err)
	}
	if wc.wa == nil {
		return nil, errNotConnected
	}
	chat, resp, err := wc.send(ctx, msg.Portal, msg.Event.ID, wc.wa.BuildPollCreation(question, names, maxSelections))
	if err != nil {
		return nil, err
	}
	own := wc.ownJID()
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID:        ids.MessageID(chat, own, resp.ID),
		SenderID:  ids.UserID(own),
		Timestamp: resp.Timestamp,
		Metadata:  &MessageMetadata{PollOptions: options},
	}}, nil
}

func (wc *Client) HandleMatrixPollVote(ctx context.Context, msg *bridgev2.MatrixPollVote) (_ *bridgev2.MatrixMessageResponse, sendErr error) {
	defer metrics.Sent("poll_vote", time.Now(), &sendErr)
	meta, _ := msg.VoteTo.Metadata.(*MessageMetadata)
	if meta == nil || meta.PollOptions == nil {
		return nil, msgstatus.Refused(fmt.Errorf("that message is not a WhatsApp poll"))
	}
	target, err := ids.ParseMessageID(msg.VoteTo.ID)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, answer := range msg.Content.Response.Answers {
		name, ok := meta.PollOptions[answer]
		if !ok {
			return nil, msgstatus.Refused(fmt.Errorf("unknown poll option %q", answer))
		}
		names = append(names, name)
	}
	if wc.wa == nil {
		return nil, errNotConnected
	}
	pollInfo := &types.MessageInfo{MessageSource: types.MessageSource{
		Chat: target.Chat, Sender: target.Sender, IsFromMe: target.Sender == wc.ownJID(), IsGroup: target.Chat.Server == types.GroupServer,
	}, ID: target.ID}
	vote, err := wc.wa.BuildPollVote(ctx, pollInfo, names)
	if err != nil {
		return nil, fmt.Errorf("build poll vote: %w", err)
	}
	chat, resp, err := wc.send(ctx, msg.Portal, msg.Event.ID, vote)
	if err != nil {
		return nil, err
	}
	own := wc.ownJID()
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID: ids.MessageID(chat, own, resp.ID), SenderID: ids.UserID(own), Timestamp: resp.Timestamp,
	}}, nil
}
