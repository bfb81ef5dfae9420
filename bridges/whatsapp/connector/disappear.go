package connector

import (
	"context"
	"time"

	"go.mau.fi/util/jsontime"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	msgstatus "github.com/mxbridges/mxbridges/pkg/bridgekit/status"
)

var _ bridgev2.DisappearTimerChangingNetworkAPI = (*Client)(nil)

// disappearTimers are the timers WhatsApp offers: 24 hours, 7 days, 90 days.
var disappearTimers = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 90 * 24 * time.Hour}

func disappearCapability() *event.DisappearingTimerCapability {
	c := &event.DisappearingTimerCapability{Types: []event.DisappearingType{event.DisappearingTypeAfterSend}}
	for _, d := range disappearTimers {
		c.Timers = append(c.Timers, jsontime.MS(d))
	}
	return c
}

// disappearing is the portal setting for a WhatsApp expiration in seconds (0 = off).
func disappearing(seconds uint32) *database.DisappearingSetting {
	if seconds == 0 {
		return &database.DisappearingSetting{Type: event.DisappearingTypeNone}
	}
	return &database.DisappearingSetting{Type: event.DisappearingTypeAfterSend, Timer: time.Duration(seconds) * time.Second}
}

// expirationOf is the disappearing timer a message was sent with, in seconds (0 = none).
func expirationOf(msg *waE2E.Message) uint32 {
	type withContext interface{ GetContextInfo() *waE2E.ContextInfo }
	for _, part := range []withContext{
		msg.GetExtendedTextMessage(), msg.GetImageMessage(), msg.GetVideoMessage(), msg.GetAudioMessage(),
		msg.GetDocumentMessage(), msg.GetStickerMessage(), msg.GetLocationMessage(), msg.GetContactMessage(),
	} {
		if info := part.GetContextInfo(); info.GetExpiration() > 0 {
			return info.GetExpiration()
		}
	}
	return 0
}

// handleDisappearSetting bridges a chat's new disappearing-message timer.
func (wc *Client) handleDisappearSetting(ctx context.Context, info types.MessageInfo, seconds uint32) {
	wc.queue(ctx, &simplevent.ChatInfoChange{
		EventMeta:      wc.meta(bridgev2.RemoteEventChatInfoChange, info),
		ChatInfoChange: &bridgev2.ChatInfoChange{ChatInfo: &bridgev2.ChatInfo{Disappear: disappearing(seconds)}},
	})
}

// HandleMatrixDisappearingTimer sets the chat's timer on WhatsApp; only WhatsApp's own timers
// (after sending: 24 hours, 7 days, 90 days, or off) are accepted.
func (wc *Client) HandleMatrixDisappearingTimer(ctx context.Context, msg *bridgev2.MatrixDisappearingTimer) (bool, error) {
	chat, err := ids.ParsePortalID(msg.Portal.ID)
	if err != nil {
		return false, err
	}
	setting := database.DisappearingSettingFromEvent(msg.Content)
	if setting.Type != event.DisappearingTypeNone && !validTimer(setting) {
		return false, msgstatus.Refused(errUnsupportedTimer)
	}
	if wc.wa == nil {
		return false, errNotConnected
	}
	if err = wc.wa.SetDisappearingTimer(ctx, chat, setting.Timer, time.Now()); err != nil {
		return false, sendFailed(err)
	}
	msg.Portal.Disappear = setting
	return true, nil
}

func validTimer(s database.DisappearingSetting) bool {
	if s.Type != event.DisappearingTypeAfterSend {
		return false
	}
	for _, d := range disappearTimers {
		if s.Timer == d {
			return true
		}
	}
	return false
}
