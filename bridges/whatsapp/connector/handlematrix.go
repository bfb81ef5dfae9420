package connector

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/util/variationselector"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

var (
	_ bridgev2.EditHandlingNetworkAPI        = (*Client)(nil)
	_ bridgev2.ReactionHandlingNetworkAPI    = (*Client)(nil)
	_ bridgev2.RedactionHandlingNetworkAPI   = (*Client)(nil)
	_ bridgev2.ReadReceiptHandlingNetworkAPI = (*Client)(nil)
	_ bridgev2.TypingHandlingNetworkAPI      = (*Client)(nil)
)

// errNotConnected is what a Matrix user sees when WhatsApp is unreachable for their login.
var errNotConnected = bridgev2.WrapErrorInStatus(errors.New("not connected to WhatsApp")).
	WithIsCertain(true).WithErrorAsMessage().WithSendNotice(true)

// sendFailed turns an error from WhatsApp into a message status that the Matrix sender sees
// as a notice, with WhatsApp's reason. The message may be retried.
func sendFailed(err error) error {
	return bridgev2.WrapErrorInStatus(fmt.Errorf("WhatsApp did not accept the message: %w", err)).
		WithErrorAsMessage().WithSendNotice(true)
}

// send sends a WhatsApp message to a portal's chat.
func (wc *Client) send(ctx context.Context, portal *bridgev2.Portal, msg *waE2E.Message) (types.JID, whatsmeow.SendResponse, error) {
	chat, err := ids.ParsePortalID(portal.ID)
	if err != nil {
		return chat, whatsmeow.SendResponse{}, err
	}
	if wc.wa == nil {
		return chat, whatsmeow.SendResponse{}, errNotConnected
	}
	resp, err := wc.wa.SendMessage(ctx, chat, msg)
	if errors.Is(err, whatsmeow.ErrNotConnected) {
		return chat, resp, errNotConnected
	} else if err != nil {
		return chat, resp, sendFailed(err)
	}
	return chat, resp, nil
}

func (wc *Client) HandleMatrixMessage(ctx context.Context, msg *bridgev2.MatrixMessage) (*bridgev2.MatrixMessageResponse, error) {
	var waMsg *waE2E.Message
	var err error
	if mediaType, ok := waconv.MediaType(msg.Content); ok {
		waMsg, err = wc.mediaToWhatsApp(ctx, msg, mediaType)
	} else {
		waMsg, err = waconv.ToWhatsApp(ctx, msg.Content, msg.ReplyTo, wc.users())
	}
	if err != nil {
		return nil, err
	}
	chat, resp, err := wc.send(ctx, msg.Portal, waMsg)
	if err != nil {
		return nil, err
	}
	own := wc.ownJID()
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID:        ids.MessageID(chat, own, resp.ID),
		SenderID:  ids.UserID(own),
		Timestamp: resp.Timestamp,
	}}, nil
}

func (wc *Client) HandleMatrixEdit(ctx context.Context, msg *bridgev2.MatrixEdit) error {
	target, err := ids.ParseMessageID(msg.EditTarget.ID)
	if err != nil {
		return err
	}
	content, err := waconv.ToWhatsApp(ctx, msg.Content, nil, wc.users())
	if err != nil {
		return err
	}
	if wc.wa == nil {
		return errNotConnected
	}
	_, _, err = wc.send(ctx, msg.Portal, wc.wa.BuildEdit(target.Chat, target.ID, content))
	return err
}

func (wc *Client) PreHandleMatrixReaction(_ context.Context, msg *bridgev2.MatrixReaction) (bridgev2.MatrixReactionPreResponse, error) {
	return bridgev2.MatrixReactionPreResponse{
		SenderID:     ids.UserID(wc.ownJID()),
		Emoji:        variationselector.Remove(msg.Content.RelatesTo.Key),
		MaxReactions: 1,
	}, nil
}

func (wc *Client) HandleMatrixReaction(ctx context.Context, msg *bridgev2.MatrixReaction) (*database.Reaction, error) {
	if err := wc.react(ctx, msg.Portal, msg.TargetMessage.ID, msg.PreHandleResp.Emoji); err != nil {
		return nil, err
	}
	return &database.Reaction{}, nil
}

func (wc *Client) HandleMatrixReactionRemove(ctx context.Context, msg *bridgev2.MatrixReactionRemove) error {
	return wc.react(ctx, msg.Portal, msg.TargetReaction.MessageID, "")
}

// react sets (or, with "", removes) our reaction on a message.
func (wc *Client) react(ctx context.Context, portal *bridgev2.Portal, targetID networkid.MessageID, emoji string) error {
	target, err := ids.ParseMessageID(targetID)
	if err != nil {
		return err
	}
	if wc.wa == nil {
		return errNotConnected
	}
	_, _, err = wc.send(ctx, portal, wc.wa.BuildReaction(target.Chat, target.Sender, target.ID, emoji))
	return err
}

func (wc *Client) HandleMatrixMessageRemove(ctx context.Context, msg *bridgev2.MatrixMessageRemove) error {
	target, err := ids.ParseMessageID(msg.TargetMessage.ID)
	if err != nil {
		return err
	}
	if wc.wa == nil {
		return errNotConnected
	}
	_, _, err = wc.send(ctx, msg.Portal, wc.wa.BuildRevoke(target.Chat, target.Sender, target.ID))
	return err
}

func (wc *Client) HandleMatrixReadReceipt(ctx context.Context, msg *bridgev2.MatrixReadReceipt) error {
	if msg.ExactMessage == nil || wc.wa == nil {
		return nil
	}
	target, err := ids.ParseMessageID(msg.ExactMessage.ID)
	if err != nil {
		return err
	}
	if target.Sender == wc.ownJID() {
		return nil // our own messages need no read receipt
	}
	return wc.wa.MarkRead(ctx, []types.MessageID{target.ID}, msg.ReadUpTo, target.Chat, target.Sender)
}

func (wc *Client) HandleMatrixTyping(ctx context.Context, msg *bridgev2.MatrixTyping) error {
	if wc.wa == nil {
		return nil
	}
	chat, err := ids.ParsePortalID(msg.Portal.ID)
	if err != nil {
		return err
	}
	state := types.ChatPresencePaused
	if msg.IsTyping {
		state = types.ChatPresenceComposing
	}
	return wc.wa.SendChatPresence(ctx, chat, state, types.ChatPresenceMediaText)
}
