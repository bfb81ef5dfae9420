package connector

import (
	"context"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2/status"
)

// WhatsApp unlinks companion devices whose phone stays offline for about 14 days, and never
// tells the companion that the phone is offline. The bridge infers it from the last time the
// phone (device 0 of the account) sent or read anything, and warns before the unlinking.
const phoneOfflineWarning = 12 * 24 * time.Hour

// phoneSeen records activity of the account's phone and clears an offline warning.
func (wc *Client) phoneSeen(ctx context.Context, sender types.JID, at time.Time) {
	if sender.Device != 0 || sender.ToNonAD() != wc.ownJID() {
		return
	}
	// Messages of different chats are bridged side by side (inbound.go).
	wc.phoneMu.Lock()
	meta, ok := wc.login.Metadata.(*LoginMetadata)
	if !ok || at.Unix() <= meta.PhoneLastSeen {
		wc.phoneMu.Unlock()
		return
	}
	wasOffline := offlineSince(meta.PhoneLastSeen)
	meta.PhoneLastSeen = at.Unix()
	err := wc.login.Save(ctx)
	wc.phoneMu.Unlock()
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to save phone last seen time")
	}
	if wasOffline {
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnected})
	}
}

// phoneOffline reports whether the phone has been silent for longer than the warning limit.
func (wc *Client) phoneOffline() bool {
	return offlineSince(wc.phoneLastSeen())
}

// phoneLastSeen is the Unix time of the phone's last activity (0 = unknown).
func (wc *Client) phoneLastSeen() int64 {
	wc.phoneMu.Lock()
	defer wc.phoneMu.Unlock()
	if meta, ok := wc.login.Metadata.(*LoginMetadata); ok {
		return meta.PhoneLastSeen
	}
	return 0
}

// offlineSince reports whether a phone last seen at lastSeen is past the warning limit.
func offlineSince(lastSeen int64) bool {
	return lastSeen != 0 && time.Since(time.Unix(lastSeen, 0)) > phoneOfflineWarning
}

// connectedState is the state to report once connected: connected, or a warning that the
// phone has been offline too long.
func (wc *Client) connectedState() status.BridgeState {
	if !wc.phoneOffline() {
		return status.BridgeState{StateEvent: status.StateConnected}
	}
	days := int(time.Since(time.Unix(wc.phoneLastSeen(), 0)).Hours() / 24)
	return status.BridgeState{
		StateEvent: status.StateUnknownError,
		Error:      statePhoneOffline,
		Message:    phoneOfflineMessage(days),
	}
}
