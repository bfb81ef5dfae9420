package status

import (
	"errors"
	"testing"

	"maunium.net/go/mautrix/bridgev2"
)

func TestStatusErrors(t *testing.T) {
	cause := errors.New("PEER_ID_INVALID")
	tests := []struct {
		name    string
		err     error
		text    string
		certain bool
		wraps   error
	}{
		{"refused", Refused(cause), "PEER_ID_INVALID", true, cause},
		{"refusedf", Refusedf("bad poll: %w", cause), "bad poll: PEER_ID_INVALID", true, cause},
		{"failed", Failed("Telegram", "message", cause), "Telegram did not accept the message: PEER_ID_INVALID", false, cause},
		{"failedf", Failedf("upload %s: %w", "x.png", cause), "upload x.png: PEER_ID_INVALID", false, cause},
		{"not connected", NotConnected("WhatsApp"), "not connected to WhatsApp", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mss bridgev2.MessageStatus
			if !errors.As(tt.err, &mss) {
				t.Fatalf("%v is no bridgev2.MessageStatus", tt.err)
			}
			// With ErrorAsMessage, bridgev2 shows the error's own text to the sender.
			if tt.err.Error() != tt.text {
				t.Errorf("text = %q, want %q", tt.err.Error(), tt.text)
			}
			if mss.IsCertain != tt.certain {
				t.Errorf("certain = %v, want %v", mss.IsCertain, tt.certain)
			}
			if !mss.SendNotice || !mss.ErrorAsMessage {
				t.Errorf("notice = %v, error as message = %v; want both", mss.SendNotice, mss.ErrorAsMessage)
			}
			if tt.wraps != nil && !errors.Is(tt.err, tt.wraps) {
				t.Errorf("%v does not wrap %v", tt.err, tt.wraps)
			}
		})
	}
}
