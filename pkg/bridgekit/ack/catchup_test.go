package ack

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"maunium.net/go/mautrix/id"
)

func TestTransactionEvents(t *testing.T) {
	tests := []struct {
		name, body string
		want       []id.EventID
	}{
		{"two", twoMessages, []id.EventID{"$a", "$b"}},
		{"none", `{"events":[]}`, []id.EventID{}},
		{"not JSON", `{"events":[`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transactionEvents([]byte(tt.body)); !slices.Equal(got, tt.want) {
				t.Errorf("transactionEvents = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWithoutSeen(t *testing.T) {
	var seen seenEvents
	seen.add(time.Now(), "$a")
	tests := []struct {
		name, body string
		want       []id.EventID // the events left; nil: body unchanged
	}{
		{"drops what a catch-up handed on", twoMessages, []id.EventID{"$b"}},
		{"keeps a body with nothing seen", `{"events":[{"event_id":"$c"}],"ephemeral":[]}`, nil},
		{"leaves what it cannot read", `{"events":[`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withoutSeen([]byte(tt.body), &seen)
			if tt.want == nil {
				if string(got) != tt.body {
					t.Errorf("body changed to %s", got)
				}
				return
			}
			if ids := transactionEvents(got); !slices.Equal(ids, tt.want) {
				t.Errorf("events left = %v, want %v (%s)", ids, tt.want, got)
			}
			var txn map[string]json.RawMessage
			if err := json.Unmarshal(got, &txn); err != nil {
				t.Errorf("trimmed body is not JSON: %v", err)
			}
		})
	}
}

func TestSeenEventsForgetOldOnes(t *testing.T) {
	var s seenEvents
	old := time.Now().Add(-2 * seenFor)
	s.add(old, "$old")
	fresh := make([]id.EventID, 1023)
	for i := range fresh {
		fresh[i] = id.EventID("$" + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	s.add(time.Now(), fresh...) // the 1024th entry makes it forget old ones
	if s.has("$old") {
		t.Error("an event older than seenFor is still remembered")
	}
	if !s.has(fresh[0]) {
		t.Error("a fresh event was forgotten")
	}
}
