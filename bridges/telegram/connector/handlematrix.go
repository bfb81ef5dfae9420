package connector

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

func randomID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// HandleMatrixMessage sends a Matrix text message or file to a private chat.
func (tc *Client) HandleMatrixMessage(ctx context.Context, msg *bridgev2.MatrixMessage) (_ *bridgev2.MatrixMessageResponse, sendErr error) {
	defer metrics.Sent("message", time.Now(), &sendErr)
	// While the connection is lost the send waits for it, within bounds (connstate.go).
	ctx, done := tc.whileLinked(ctx)
	defer done()
	defer func() { sendErr = offline(ctx, "message", sendErr) }()
	switch msg.Content.MsgType {
	case event.MsgText, event.MsgNotice, event.MsgEmote:
	case event.MsgImage, event.MsgVideo, event.MsgAudio, event.MsgFile, event.CapMsgSticker:
		return tc.handleMatrixMedia(ctx, msg)
	case event.MsgLocation:
		return tc.handleMatrixLocation(ctx, msg)
	default:
		return nil, fmt.Errorf("%w: %s", bridgev2.ErrUnsupportedMessageType, msg.Content.MsgType)
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return nil, err
	}
	randID := randomIDOf(msg.Event.ID) // a resend after a crash repeats it (handlematrix_resend.go)
	text, entities := tc.textToTelegram(msg.Content)
	req := &tg.MessagesSendMessageRequest{Peer: peer, Message: text, RandomID: randID}
	if len(entities) > 0 {
		req.SetEntities(entities)
	}
	if reply := tgconv.InputReplyTo(msg); reply != nil {
		// gotd encodes optional fields only when their flag is set: use the setter.
		req.SetReplyTo(reply)
	}
	updates, err := api.MessagesSendMessage(ctx, req)
	if isResend(err) {
		return tc.earlierSend(ctx, api, msg.Portal, peer, text)
	}
	if err != nil {
		return nil, notAccepted("message", err)
	}
	return tc.sent(ctx, msg.Portal, updates, randID)
}

// sent is the response to a Matrix message Telegram took: the new message's ID from the
// updates Telegram answered with, which also go to the updates manager (updatestate.go).
func (tc *Client) sent(ctx context.Context, portal *bridgev2.Portal, updates tg.UpdatesClass, randID int64) (*bridgev2.MatrixMessageResponse, error) {
	tc.absorb(ctx, updates)
	msgID, date := sentMessageID(updates, randID)
	if msgID == 0 {
		return nil, fmt.Errorf("send message: Telegram's answer has no message ID")
	}
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID:        ids.MessageIDIn(portalChannel(portal), msgID),
		SenderID:  networkidOfLogin(tc),
		Timestamp: date,
	}}, nil
}

// portalChannel is the supergroup or channel of a portal, or 0 for other chats.
func portalChannel(portal *bridgev2.Portal) int64 {
	if kind, id, err := ids.ParsePortal(portal.ID); err == nil && kind == ids.KindChannel {
		return id
	}
	return 0
}

// sentMessageID finds the ID Telegram gave a sent message in the updates it answered with.
func sentMessageID(updates tg.UpdatesClass, randomID int64) (int, time.Time) {
	switch u := updates.(type) {
	case *tg.UpdateShortSentMessage:
		return u.ID, time.Unix(int64(u.Date), 0)
	case *tg.Updates:
		for _, upd := range u.Updates {
			if m, ok := upd.(*tg.UpdateMessageID); ok && m.RandomID == randomID {
				return m.ID, time.Unix(int64(u.Date), 0)
			}
		}
	}
	return 0, time.Time{}
}

var (
	_ bridgev2.EditHandlingNetworkAPI      = (*Client)(nil)
	_ bridgev2.RedactionHandlingNetworkAPI = (*Client)(nil)
)

// target is the connected API client and the input peer of a portal: what every request about
// a chat needs. It fails with errNotConnected while the bridge is offline.
func (tc *Client) target(portal *bridgev2.Portal) (*tg.Client, tg.InputPeerClass, error) {
	peer, err := tc.peerOf(portal)
	if err != nil {
		return nil, nil, err
	}
	api := tc.connectedClient()
	if api == nil {
		return nil, nil, errNotConnected
	}
	return api, peer, nil
}

// peerOf is the input peer of a portal: a private chat (with the user's access hash), a basic
// group, or a supergroup or channel (with its access hash).
func (tc *Client) peerOf(portal *bridgev2.Portal) (tg.InputPeerClass, error) {
	kind, peerID, err := ids.ParsePortal(portal.ID)
	if err != nil {
		return nil, err
	}
	switch kind {
	case ids.KindChat:
		return &tg.InputPeerChat{ChatID: peerID}, nil
	case ids.KindChannel:
		return &tg.InputPeerChannel{ChannelID: peerID, AccessHash: tc.channelAccessHash(peerID)}, nil
	}
	peer := &tg.InputPeerUser{UserID: peerID, AccessHash: tc.storedUserHash(peerID)}
	if u, ok := tc.user(peerID); ok {
		peer.AccessHash = u.AccessHash
	}
	return peer, nil
}

// HandleMatrixEdit changes the text of a message the user sent.
func (tc *Client) HandleMatrixEdit(ctx context.Context, msg *bridgev2.MatrixEdit) (sendErr error) {
	defer metrics.Sent("edit", time.Now(), &sendErr)
	_, msgID, err := ids.ParseMessageID(msg.EditTarget.ID)
	if err != nil {
		return err
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return err
	}
	req := &tg.MessagesEditMessageRequest{Peer: peer, ID: msgID}
	text, entities := tc.textToTelegram(msg.Content)
	req.SetMessage(text)
	if len(entities) > 0 {
		req.SetEntities(entities)
	}
	res, err := api.MessagesEditMessage(ctx, req)
	if err != nil {
		return notAccepted("change", err)
	}
	tc.absorb(ctx, res)
	return nil
}

// HandleMatrixMessageRemove deletes a message for everyone in the chat.
func (tc *Client) HandleMatrixMessageRemove(ctx context.Context, msg *bridgev2.MatrixMessageRemove) (sendErr error) {
	defer metrics.Sent("redaction", time.Now(), &sendErr)
	_, msgID, err := ids.ParseMessageID(msg.TargetMessage.ID)
	if err != nil {
		return err
	}
	api := tc.client()
	if api == nil {
		return errNotConnected
	}
	if channel := portalChannel(msg.Portal); channel != 0 {
		res, err := api.ChannelsDeleteMessages(ctx, &tg.ChannelsDeleteMessagesRequest{Channel: tc.inputChannel(channel), ID: []int{msgID}})
		if err != nil {
			return notAccepted("change", err)
		}
		tc.absorbAffected(ctx, channel, res)
		return nil
	}
	req := &tg.MessagesDeleteMessagesRequest{ID: []int{msgID}}
	req.SetRevoke(true)
	res, err := api.MessagesDeleteMessages(ctx, req)
	if err != nil {
		return notAccepted("change", err)
	}
	tc.absorbAffected(ctx, 0, res)
	return nil
}
