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
)

func randomID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// HandleMatrixMessage sends a Matrix text message to a private chat.
func (tc *Client) HandleMatrixMessage(ctx context.Context, msg *bridgev2.MatrixMessage) (*bridgev2.MatrixMessageResponse, error) {
	switch msg.Content.MsgType {
	case event.MsgText, event.MsgNotice, event.MsgEmote:
	default:
		return nil, fmt.Errorf("%w: %s", bridgev2.ErrUnsupportedMessageType, msg.Content.MsgType)
	}
	userID, err := ids.ParseUserPortal(msg.Portal.ID)
	if err != nil {
		return nil, err
	}
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	peer := &tg.InputPeerUser{UserID: userID}
	if u, ok := tc.user(userID); ok {
		peer.AccessHash = u.AccessHash
	}
	randID := randomID()
	updates, err := api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: peer, Message: msg.Content.Body, RandomID: randID})
	if err != nil {
		return nil, bridgev2.WrapErrorInStatus(fmt.Errorf("Telegram did not accept the message: %w", err)).WithErrorAsMessage().WithSendNotice(true)
	}
	msgID, date := sentMessageID(updates, randID)
	if msgID == 0 {
		return nil, fmt.Errorf("send message: Telegram's answer has no message ID")
	}
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID:        ids.MessageID(userID, msgID),
		SenderID:  networkidOfLogin(tc),
		Timestamp: date,
	}}, nil
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
