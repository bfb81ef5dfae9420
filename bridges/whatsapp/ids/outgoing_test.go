package ids

import (
	"regexp"
	"testing"

	"maunium.net/go/mautrix/id"
)

func TestOutgoingMessageID(t *testing.T) {
	shape := regexp.MustCompile(`^3EB0[0-9A-F]{16}$`)
	a, b := id.EventID("$one:example.org"), id.EventID("$two:example.org")
	tests := []struct {
		name      string
		x, y      id.EventID
		wantEqual bool
	}{
		{"same event, same ID", a, a, true},
		{"other event, other ID", a, b, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, y := OutgoingMessageID(tt.x), OutgoingMessageID(tt.y)
			if !shape.MatchString(string(x)) {
				t.Errorf("OutgoingMessageID(%s) = %q, not shaped like whatsmeow's IDs", tt.x, x)
			}
			if (x == y) != tt.wantEqual {
				t.Errorf("IDs of %s and %s: %q and %q, want equal=%v", tt.x, tt.y, x, y, tt.wantEqual)
			}
		})
	}
}
