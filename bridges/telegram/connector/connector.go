// Package connector is the Telegram network connector for bridgev2: login flows, the MTProto
// connection of each login through gotd/td, and the conversion of events in both directions.
package connector

import (
	"context"
	"sync/atomic"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

// Connector is the bridgev2 network connector of the Telegram bridge.
type Connector struct {
	Bridge *bridgev2.Bridge
	Config Config

	maxFileSize atomic.Int64 // the homeserver's upload limit (see SetMaxFileSize)
}

var (
	_ bridgev2.NetworkConnector        = (*Connector)(nil)
	_ bridgev2.ConfigValidatingNetwork = (*Connector)(nil)
)

// New returns a connector.
func New() *Connector { return &Connector{} }

func (c *Connector) Init(br *bridgev2.Bridge) {
	c.Bridge = br
	c.hookMatrixPins() // pins_matrix.go
}

func (c *Connector) Start(ctx context.Context) error {
	if c.Config.APIID == 0 || c.Config.APIHash == "" {
		zerolog.Ctx(ctx).Warn().Msg("network.api_id and network.api_hash are not set: nobody can log in until they are (get them at https://my.telegram.org)")
	}
	return nil
}

func (c *Connector) GetName() bridgev2.BridgeName {
	return bridgev2.BridgeName{
		DisplayName:          "Telegram",
		NetworkURL:           "https://telegram.org",
		NetworkID:            "telegram",
		BeeperBridgeType:     "github.com/mxbridges/mxbridges/bridges/telegram",
		DefaultPort:          29317,
		DefaultCommandPrefix: "!tg",
	}
}

func (c *Connector) GetCapabilities() *bridgev2.NetworkGeneralCapabilities {
	return &bridgev2.NetworkGeneralCapabilities{
		Provisioning: bridgev2.ProvisioningCapabilities{
			ResolveIdentifier: bridgev2.ResolveIdentifierCapabilities{CreateDM: true, LookupPhone: true, LookupUsername: true, ContactList: true},
			GroupCreation:     groupCreation,
		},
	}
}

func (c *Connector) GetBridgeInfoVersion() (info, capabilities int) { return 1, 1 }

// LoadUserLogin attaches a client to a stored login; Connect does the network I/O.
func (c *Connector) LoadUserLogin(_ context.Context, login *bridgev2.UserLogin) error {
	login.Client = newClient(c, login)
	return nil
}

// roomFeatures is what a Telegram chat accepts from Matrix in this version of the bridge.
var roomFeatures = &event.RoomFeatures{
	ID:              "fi.mxb.telegram.capabilities.2026_11_21.location.polls",
	MaxTextLength:   4096,
	Reply:           event.CapLevelFullySupported,
	Edit:            event.CapLevelFullySupported,
	Delete:          event.CapLevelFullySupported,
	Reaction:        event.CapLevelFullySupported,
	LocationMessage: event.CapLevelFullySupported,
	ReactionCount:   maxReactions,

	// Polls: Telegram's limits on answers.
	Poll:                event.CapLevelFullySupported,
	PollMaxOptions:      maxPollAnswers,
	PollOptionMaxLength: maxPollAnswerLen,

	Formatting: event.FormattingFeatureMap{
		event.FmtBold: event.CapLevelFullySupported, event.FmtItalic: event.CapLevelFullySupported,
		event.FmtUnderline: event.CapLevelFullySupported, event.FmtStrikethrough: event.CapLevelFullySupported,
		event.FmtInlineCode: event.CapLevelFullySupported, event.FmtCodeBlock: event.CapLevelFullySupported,
		event.FmtSyntaxHighlighting: event.CapLevelFullySupported, event.FmtBlockquote: event.CapLevelFullySupported,
		event.FmtInlineLink: event.CapLevelFullySupported, event.FmtUserLink: event.CapLevelFullySupported,
		event.FmtSpoiler: event.CapLevelFullySupported, event.FmtUnorderedList: event.CapLevelPartialSupport,
		event.FmtOrderedList: event.CapLevelPartialSupport, event.FmtHeaders: event.CapLevelPartialSupport,
	},
	File:                fileFeatures,
	ReadReceipts:        true,
	TypingNotifications: true,
}

// premiumRoomFeatures is roomFeatures for an account with Telegram Premium: three reactions
// per message.
var premiumRoomFeatures = func() *event.RoomFeatures {
	f := roomFeatures.Clone()
	f.ID += ".premium"
	f.ReactionCount = maxPremiumReactions
	return f
}()

// forumFeatures are a forum supergroup's: its topics are threads.
var forumFeatures, premiumForumFeatures = withThreads(roomFeatures), withThreads(premiumRoomFeatures)

func withThreads(f *event.RoomFeatures) *event.RoomFeatures {
	f = f.Clone()
	f.ID += ".forum"
	f.Thread = event.CapLevelFullySupported
	return f
}

// fileFeatures is what Telegram takes of each kind of Matrix file: up to 2000 MiB, captions
// up to 1024 characters (stickers have none). Formats Telegram cannot show as such (e.g. a
// GIF as a photo, a PNG sticker) still go through, as files or photos.
var fileFeatures = func() event.FileFeatureMap {
	const maxSize = 2000 * 1024 * 1024
	full, partial := event.CapLevelFullySupported, event.CapLevelPartialSupport
	withCaption := func(mimes map[string]event.CapabilitySupportLevel) *event.FileFeatures {
		return &event.FileFeatures{MimeTypes: mimes, Caption: full, MaxCaptionLength: 1024, MaxSize: maxSize}
	}
	return event.FileFeatureMap{
		event.MsgImage: withCaption(map[string]event.CapabilitySupportLevel{
			"image/jpeg": full, "image/png": full, "image/gif": partial, "image/webp": partial, "image/*": partial,
		}),
		event.MsgVideo:    withCaption(map[string]event.CapabilitySupportLevel{"video/mp4": full, "video/*": partial}),
		event.MsgAudio:    withCaption(map[string]event.CapabilitySupportLevel{"audio/mpeg": full, "audio/*": full}),
		event.CapMsgVoice: withCaption(map[string]event.CapabilitySupportLevel{"audio/ogg": full, "audio/*": partial}),
		event.MsgFile:     withCaption(map[string]event.CapabilitySupportLevel{"*/*": full}),
		event.CapMsgGIF:   withCaption(map[string]event.CapabilitySupportLevel{"video/mp4": full, "image/gif": partial}),
		event.CapMsgSticker: {
			MimeTypes: map[string]event.CapabilitySupportLevel{"image/webp": full, "image/png": partial, "image/jpeg": partial, "image/gif": partial},
			MaxSize:   maxSize,
		},
	}
}()
