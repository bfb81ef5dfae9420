package connector

import (
	"context"
	"time"

	"go.mau.fi/util/variationselector"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

var _ bridgev2.ReactionHandlingNetworkAPI = (*Client)(nil)

// handleReaction bridges a WhatsApp reaction; an empty one removes the sender's reaction.
func (wc *Client) handleReaction(ctx context.Context, info types.MessageInfo, r *waE2E.ReactionMessage) {
	typ := bridgev2.RemoteEventReaction
	if r.GetText() == "" {
		typ = bridgev2.RemoteEventReactionRemove
	}
	wc.queue(ctx, &simplevent.Reaction{
		EventMeta:     wc.meta(typ, info),
		TargetMessage: wc.targetOf(info, r.GetKey()),
		Emoji:         r.GetText(),
	})
}

func (wc *Client) PreHandleMatrixReaction(_ context.Context, msg *bridgev2.MatrixReaction) (bridgev2.MatrixReactionPreResponse, error) {
	return bridgev2.MatrixReactionPreResponse{
		SenderID:     ids.UserID(wc.ownJID()),
		Emoji:        variationselector.Remove(msg.Content.RelatesTo.Key),
		MaxReactions: 1,
	}, nil
}

func (wc *Client) HandleMatrixReaction(ctx context.Context, msg *bridgev2.MatrixReaction) (_ *database.Reaction, sendErr error) {
	defer metrics.Sent("reaction", time.Now(), &sendErr)
	if err := wc.react(ctx, msg.Portal, msg.Event.ID, msg.TargetMessage.ID, msg.PreHandleResp.Emoji); err != nil {
		return nil, err
	}
	return &database.Reaction{}, nil
}

func (wc *Client) HandleMatrixReactionRemove(ctx context.Context, msg *bridgev2.MatrixReactionRemove) (sendErr error) {
	defer metrics.Sent("reaction_remove", time.Now(), &sendErr)
	return wc.react(ctx, msg.Portal, msg.Event.ID, msg.TargetReaction.MessageID, "")
}

// react sets (or, with "", removes) our reaction on a message.
func (wc *Client) react(ctx context.Context, portal *bridgev2.Portal, evt id.EventID, targetID networkid.MessageID, emoji string) error {
	target, err := ids.ParseMessageID(targetID)
	if err != nil {
		return err
	}
	if wc.wa == nil {
		return errNotConnected
	}
	_, _, err = wc.send(ctx, portal, evt, wc.wa.BuildReaction(target.Chat, target.Sender, target.ID, emoji))
	return err
}
