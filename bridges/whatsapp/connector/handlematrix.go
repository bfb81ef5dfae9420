package connector

import (
	"context"
	"errors"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

var (
	_ bridgev2.EditHandlingNetworkAPI      = (*Client)(nil)
	_ bridgev2.RedactionHandlingNetworkAPI = (*Client)(nil)
)

// send sends a WhatsApp message for the Matrix event evt to a portal's chat, under the message
// ID evt always gets (ids.OutgoingMessageID): a homeserver's retry of an event a killed bridge
// had already sent is then dropped by WhatsApp as a repeat. While the connection is down (a
// restart, a dropped network) it first waits for it, a while (waitConnected).
func (wc *Client) send(ctx context.Context, portal *bridgev2.Portal, evt id.EventID, msg *waE2E.Message) (types.JID, whatsmeow.SendResponse, error) {
	chat, err := ids.ParsePortalID(portal.ID)
	if err != nil {
		return chat, whatsmeow.SendResponse{}, err
	}
	if wc.wa == nil {
		return chat, whatsmeow.SendResponse{}, errNotConnected
	}
	wc.waitConnected(ctx)
	var extra []whatsmeow.SendRequestExtra
	if evt != "" {
		extra = append(extra, whatsmeow.SendRequestExtra{ID: ids.OutgoingMessageID(evt)})
	}
	resp, err := wc.wa.SendMessage(ctx, chat, msg, extra...)
	if errors.Is(err, whatsmeow.ErrNotConnected) {
		return chat, resp, errNotConnected
	} else if err != nil {
		return chat, resp, sendFailed(err)
	}
	return chat, resp, nil
}

func (wc *Client) HandleMatrixMessage(ctx context.Context, msg *bridgev2.MatrixMessage) (_ *bridgev2.MatrixMessageResponse, sendErr error) {
	defer metrics.Sent("message", time.Now(), &sendErr)
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
	chat, resp, err := wc.send(ctx, msg.Portal, msg.Event.ID, waMsg)
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

func (wc *Client) HandleMatrixEdit(ctx context.Context, msg *bridgev2.MatrixEdit) (sendErr error) {
	defer metrics.Sent("edit", time.Now(), &sendErr)
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
	_, _, err = wc.send(ctx, msg.Portal, msg.Event.ID, wc.wa.BuildEdit(target.Chat, target.ID, content))
	return err
}

func (wc *Client) HandleMatrixMessageRemove(ctx context.Context, msg *bridgev2.MatrixMessageRemove) (sendErr error) {
	defer metrics.Sent("redaction", time.Now(), &sendErr)
	target, err := ids.ParseMessageID(msg.TargetMessage.ID)
	if err != nil {
		return err
	}
	if wc.wa == nil {
		return errNotConnected
	}
	_, _, err = wc.send(ctx, msg.Portal, msg.Event.ID, wc.wa.BuildRevoke(target.Chat, target.Sender, target.ID))
	return err
}
