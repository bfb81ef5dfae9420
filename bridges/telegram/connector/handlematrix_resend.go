package connector

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// A Matrix text message goes to Telegram with a random_id derived from its event ID. When the
// bridge dies after Telegram took a message but before bridgev2 stored it, the homeserver sends
// the event again (the transaction was never acknowledged), the send repeats the random_id, and
// Telegram refuses it with RANDOM_ID_DUPLICATE instead of writing the message twice: the
// earlier message is then the send's result.

// randomIDOf is the random_id of the Telegram message that bridges Matrix event evt.
func randomIDOf(evt id.EventID) int64 {
	sum := sha256.Sum256([]byte(evt))
	return int64(binary.LittleEndian.Uint64(sum[:8]) >> 1)
}

// isResend reports whether Telegram refused a send because its random_id was used already.
func isResend(err error) bool { return tgerr.Is(err, "RANDOM_ID_DUPLICATE") }

// earlierSend answers a send Telegram had already taken with the message it made then: the
// newest outgoing message with the same text among the chat's latest. Sends are handled one
// at a time in event order, so no later message of ours is in the chat yet.
func (tc *Client) earlierSend(ctx context.Context, api *tg.Client, portal *bridgev2.Portal, peer tg.InputPeerClass, text string) (*bridgev2.MatrixMessageResponse, error) {
	res, err := api.MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: peer, Limit: 50})
	if err != nil {
		return nil, notAccepted("message", fmt.Errorf("find the message Telegram already took: %w", err))
	}
	msgs, _, _ := historyOf(res)
	for _, raw := range msgs {
		if m, ok := raw.(*tg.Message); ok && m.Out && m.Message == text {
			return &bridgev2.MatrixMessageResponse{DB: &database.Message{
				ID:        ids.MessageIDIn(portalChannel(portal), m.ID),
				SenderID:  networkidOfLogin(tc),
				Timestamp: time.Unix(int64(m.Date), 0),
			}}, nil
		}
	}
	return nil, notAccepted("message", fmt.Errorf("find the message Telegram already took: not among the chat's latest 50"))
}
