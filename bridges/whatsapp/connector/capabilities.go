package connector

import (
	"context"
	"time"

	"go.mau.fi/util/jsontime"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// Limits WhatsApp imposes (facts from WhatsApp's clients).
const (
	maxTextLength = 65536
	maxFileSize   = 2000 * 1024 * 1024
	editMaxAge    = 15 * time.Minute
	deleteMaxAge  = 48 * time.Hour
)

// maxGroupNameLength is WhatsApp's limit on group names.
const maxGroupNameLength = 100

func (c *Connector) GetCapabilities() *bridgev2.NetworkGeneralCapabilities {
	return &bridgev2.NetworkGeneralCapabilities{
		DisappearingMessages: true,
		Provisioning: bridgev2.ProvisioningCapabilities{
			ResolveIdentifier: bridgev2.ResolveIdentifierCapabilities{CreateDM: true, LookupPhone: true, ContactList: true},
			GroupCreation: map[string]bridgev2.GroupTypeCapabilities{
				"group": {
					TypeDescription: "a WhatsApp group",
					Name:            bridgev2.GroupFieldCapability{Allowed: true, Required: true, MinLength: 1, MaxLength: maxGroupNameLength},
					Topic:           bridgev2.GroupFieldCapability{Allowed: true},
					Participants:    bridgev2.GroupFieldCapability{Allowed: true, Required: true, MinLength: 1},
				},
			},
		},
	}
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
	File: event.FileFeatureMap{
		event.MsgImage: fileCaps(map[string]event.CapabilitySupportLevel{
			"image/jpeg": event.CapLevelFullySupported, "image/png": event.CapLevelFullySupported,
			"image/webp": event.CapLevelPartialSupport, "image/gif": event.CapLevelPartialSupport,
		}, true),
		event.MsgVideo: fileCaps(map[string]event.CapabilitySupportLevel{
			"video/mp4": event.CapLevelFullySupported, "video/3gpp": event.CapLevelFullySupported,
		}, true),
		event.CapMsgGIF: fileCaps(map[string]event.CapabilitySupportLevel{"video/mp4": event.CapLevelFullySupported}, true),
		event.MsgAudio: fileCaps(map[string]event.CapabilitySupportLevel{
			"audio/ogg": event.CapLevelFullySupported, "audio/mpeg": event.CapLevelFullySupported,
			"audio/mp4": event.CapLevelFullySupported, "audio/aac": event.CapLevelFullySupported, "audio/amr": event.CapLevelFullySupported,
		}, false),
		event.CapMsgVoice: fileCaps(map[string]event.CapabilitySupportLevel{"audio/ogg": event.CapLevelFullySupported}, false),
		event.MsgFile:     fileCaps(map[string]event.CapabilitySupportLevel{"*/*": event.CapLevelFullySupported}, true),
		event.CapMsgSticker: fileCaps(map[string]event.CapabilitySupportLevel{
			"image/webp": event.CapLevelFullySupported, "image/png": event.CapLevelPartialSupport,
		}, false),
	},
	MaxTextLength:       maxTextLength,
	LocationMessage:     event.CapLevelFullySupported,
	Poll:                event.CapLevelFullySupported,
	PollMaxOptions:      waconv.MaxPollOptions,
	Reply:               event.CapLevelFullySupported,
	Edit:                event.CapLevelFullySupported,
	EditMaxAge:          ptrSeconds(editMaxAge),
	Delete:              event.CapLevelFullySupported,
	DeleteMaxAge:        ptrSeconds(deleteMaxAge),
	Reaction:            event.CapLevelFullySupported,
	ReactionCount:       1,
	DisappearingTimer:   disappearCapability(),
	ReadReceipts:        true,
	TypingNotifications: true,
}

// fileCaps is one kind of file WhatsApp takes, up to its 2000 MiB limit.
func fileCaps(mimeTypes map[string]event.CapabilitySupportLevel, caption bool) *event.FileFeatures {
	f := &event.FileFeatures{MimeTypes: mimeTypes, MaxSize: maxFileSize, Caption: event.CapLevelRejected}
	if caption {
		f.Caption, f.MaxCaptionLength = event.CapLevelFullySupported, maxTextLength
	}
	return f
}

func ptrSeconds(d time.Duration) *jsontime.Seconds {
	s := jsontime.S(d)
	return &s
}

func (wc *Client) GetCapabilities(_ context.Context, _ *bridgev2.Portal) *event.RoomFeatures {
	return roomFeatures
}
