package connector

import (
	"context"
	"time"

	"go.mau.fi/util/jsontime"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

// Limits WhatsApp imposes (facts from WhatsApp's clients).
const (
	maxTextLength = 65536
	maxFileSize   = 2000 * 1024 * 1024
	editMaxAge    = 15 * time.Minute
	deleteMaxAge  = 48 * time.Hour
)

func (c *Connector) GetCapabilities() *bridgev2.NetworkGeneralCapabilities {
	return &bridgev2.NetworkGeneralCapabilities{}
}

// roomFeatures is what a WhatsApp chat accepts from Matrix; the framework rejects the rest with
// a message status the sender sees.
var roomFeatures = &event.RoomFeatures{
	ID: "fi.mxb.whatsapp.capabilities.2026_11_21",
	Formatting: event.FormattingFeatureMap{
		event.FmtBold:          event.CapLevelFullySupported,
		event.FmtItalic:        event.CapLevelFullySupported,
		event.FmtStrikethrough: event.CapLevelFullySupported,
		event.FmtInlineCode:    event.CapLevelFullySupported,
		event.FmtCodeBlock:     event.CapLevelFullySupported,
		event.FmtBlockquote:    event.CapLevelFullySupported,
		event.FmtUnorderedList: event.CapLevelFullySupported,
		event.FmtOrderedList:   event.CapLevelFullySupported,
		event.FmtListStart:     event.CapLevelFullySupported,
		event.FmtUserLink:      event.CapLevelFullySupported,
		event.FmtInlineLink:    event.CapLevelPartialSupport,
		event.FmtUnderline:     event.CapLevelDropped,
		event.FmtHeaders:       event.CapLevelPartialSupport,
	},
	MaxTextLength:       maxTextLength,
	Reply:               event.CapLevelFullySupported,
	Edit:                event.CapLevelFullySupported,
	EditMaxAge:          ptrSeconds(editMaxAge),
	Delete:              event.CapLevelFullySupported,
	DeleteMaxAge:        ptrSeconds(deleteMaxAge),
	Reaction:            event.CapLevelFullySupported,
	ReactionCount:       1,
	ReadReceipts:        true,
	TypingNotifications: true,
}

func ptrSeconds(d time.Duration) *jsontime.Seconds {
	s := jsontime.S(d)
	return &s
}

func (wc *Client) GetCapabilities(_ context.Context, _ *bridgev2.Portal) *event.RoomFeatures {
	return roomFeatures
}
