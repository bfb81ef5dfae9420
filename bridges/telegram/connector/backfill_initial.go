package connector

import (
	"context"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/simplevent"
)

// A message of a chat with no room yet makes bridgev2 create the room and backfill it before it
// bridges the message. The backfill must stop at that message: the chat's later messages are
// on the chat's lane behind it and come next, in order, whereas the newest messages of the
// history would go into the room ahead of them. That happens whenever a chat gets many
// messages while its room is made, e.g. when the connection drops in the middle of it.

// openingMessage is a message event that may create its portal. It hands the initial backfill
// its message number as bundled data (bridgev2 passes a room-creating event's bundle on to
// FetchMessages).
type openingMessage struct {
	*simplevent.Message[*tg.Message]
}

var _ bridgev2.RemoteChatResyncBackfillBundle = openingMessage{}

// backfillUpTo is the number of the last message an initial backfill may bring.
type backfillUpTo int

// CheckNeedsBackfill is never asked of a message event; it is part of the bundle interface.
func (openingMessage) CheckNeedsBackfill(context.Context, *database.Message) (bool, error) {
	return false, nil
}

// GetBundledBackfillData bounds the new room's backfill by this message.
func (e openingMessage) GetBundledBackfillData() any { return backfillUpTo(e.Data.ID) }

// initialBound sets the offset of an initial backfill's history request (no anchor) so that
// it ends with the message that opened the room, when one did.
func initialBound(params bridgev2.FetchMessagesParams, req *tg.MessagesGetHistoryRequest) {
	if upTo, ok := params.BundledData.(backfillUpTo); ok && params.AnchorMessage == nil && upTo > 0 {
		req.OffsetID = int(upTo) + 1 // offset_id excludes itself and newer messages
	}
}
