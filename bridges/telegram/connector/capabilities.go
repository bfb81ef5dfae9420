package connector

import (
	"context"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

func (c *Connector) GetCapabilities() *bridgev2.NetworkGeneralCapabilities {
	return &bridgev2.NetworkGeneralCapabilities{
		Provisioning: bridgev2.ProvisioningCapabilities{
			ResolveIdentifier: bridgev2.ResolveIdentifierCapabilities{CreateDM: true, LookupPhone: true, LookupUsername: true, ContactList: true},
			GroupCreation:     groupCreation,
		},
	}
}

func (c *Connector) GetBridgeInfoVersion() (info, capabilities int) { return 1, 1 }

// GetCapabilities is what a chat accepts from Matrix: threads in forum supergroups, more
// reactions with Telegram Premium.
func (tc *Client) GetCapabilities(_ context.Context, portal *bridgev2.Portal) *event.RoomFeatures {
	forum := false
	if id := portalChannel(portal); id != 0 {
		ch, ok := tc.channel(id)
		forum = ok && ch.Forum
	}
	switch {
	case tc.isPremium() && forum:
		return premiumForumFeatures
	case tc.isPremium():
		return premiumRoomFeatures
	case forum:
		return forumFeatures
	}
	return roomFeatures
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
