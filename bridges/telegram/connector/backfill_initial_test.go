package connector

import (
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/simplevent"
)

func TestInitialBound(t *testing.T) {
	opening := openingMessage{&simplevent.Message[*tg.Message]{Data: &tg.Message{ID: 41}}}
	tests := []struct {
		name   string
		params bridgev2.FetchMessagesParams
		offset int
	}{
		{"room opened by message 41", bridgev2.FetchMessagesParams{Forward: true, BundledData: opening.GetBundledBackfillData()}, 42},
		{"room opened by a resync", bridgev2.FetchMessagesParams{Forward: true}, 0},
		{"catch-up from an anchor", bridgev2.FetchMessagesParams{Forward: true, BundledData: backfillUpTo(41), AnchorMessage: &database.Message{}}, 0},
		{"other bundled data", bridgev2.FetchMessagesParams{Forward: true, BundledData: 41}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &tg.MessagesGetHistoryRequest{}
			initialBound(tt.params, req)
			if req.OffsetID != tt.offset {
				t.Errorf("offset_id = %d, want %d", req.OffsetID, tt.offset)
			}
		})
	}
}
