package connector

import (
	"slices"
	"testing"

	"maunium.net/go/mautrix/id"
)

func TestChangePins(t *testing.T) {
	a, b, c := id.EventID("$a"), id.EventID("$b"), id.EventID("$c")
	tests := []struct {
		name    string
		current []id.EventID
		events  []id.EventID
		pinned  bool
		want    []id.EventID
	}{
		{"pin to empty", nil, []id.EventID{a}, true, []id.EventID{a}},
		{"pin appends", []id.EventID{a}, []id.EventID{b, c}, true, []id.EventID{a, b, c}},
		{"pin again is no change", []id.EventID{a, b}, []id.EventID{a}, true, []id.EventID{a, b}},
		{"unpin", []id.EventID{a, b, c}, []id.EventID{b}, false, []id.EventID{a, c}},
		{"unpin unknown", []id.EventID{a}, []id.EventID{c}, false, []id.EventID{a}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.current)
			if got := changePins(tt.current, tt.events, tt.pinned); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if !slices.Equal(tt.current, before) {
				t.Errorf("the current list was changed in place: %v", tt.current)
			}
		})
	}
}

func TestPinDiff(t *testing.T) {
	a, b, c := id.EventID("$a"), id.EventID("$b"), id.EventID("$c")
	added, removed := pinDiff([]id.EventID{b, c}, []id.EventID{a, b})
	if !slices.Equal(added, []id.EventID{c}) || !slices.Equal(removed, []id.EventID{a}) {
		t.Errorf("added %v removed %v, want [$c] and [$a]", added, removed)
	}
	if added, removed := pinDiff([]id.EventID{a}, []id.EventID{a}); len(added)+len(removed) != 0 {
		t.Errorf("no change gave added %v removed %v", added, removed)
	}
}
