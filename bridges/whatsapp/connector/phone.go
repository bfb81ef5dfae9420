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
	meta, ok := wc.login.Metadata.(*LoginMetadata)
	if !ok || at.Unix() <= meta.PhoneLastSeen {
		return
	}
	wasOffline := wc.phoneOffline()
	meta.PhoneLastSeen = at.Unix()
	if err := wc.login.Save(ctx); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to save phone last seen time")
	}
	if wasOffline {
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnected})
	}
}

// phoneOffline reports whether the phone has been silent for longer than the warning limit.
func (wc *Client) phoneOffline() bool {
	meta, ok := wc.login.Metadata.(*LoginMetadata)
	if !ok || meta.PhoneLastSeen == 0 {
		return false
	}
	return time.Since(time.Unix(meta.PhoneLastSeen, 0)) > phoneOfflineWarning
}

// connectedState is the state to report once connected: connected, or a warning that the
// phone has been offline too long.
func (wc *Client) connectedState() status.BridgeState {
	if !wc.phoneOffline() {
		return status.BridgeState{StateEvent: status.StateConnected}
	}
	meta := wc.login.Metadata.(*LoginMetadata)
	days := int(time.Since(time.Unix(meta.PhoneLastSeen, 0)).Hours() / 24)
	return status.BridgeState{
		StateEvent: status.StateUnknownError,
		Error:      statePhoneOffline,
		Message:    phoneOfflineMessage(days),
	}
}
