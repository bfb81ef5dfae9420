package connector

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tgerr"
)

type scriptedInvoker struct {
	errs  []error
	calls int
}

func (s *scriptedInvoker) Invoke(context.Context, bin.Encoder, bin.Decoder) error {
	s.calls++
	if s.calls <= len(s.errs) {
		return s.errs[s.calls-1]
	}
	return nil
}

func TestFloodWait(t *testing.T) {
	flood := func(sec int) error { return tgerr.New(420, "FLOOD_WAIT_"+strconv.Itoa(sec)) }
	tests := []struct {
		name      string
		errs      []error
		wantErr   bool
		wantCalls int
		wantSlept time.Duration
	}{
		{"no error", nil, false, 1, 0},
		{"one short wait", []error{flood(2)}, false, 2, 2 * time.Second},
		{"two waits", []error{flood(1), flood(3)}, false, 3, 4 * time.Second},
		{"too long a wait fails at once", []error{flood(3600)}, true, 1, 0},
		{"too many waits give up", []error{flood(1), flood(1), flood(1), flood(1)}, true, 4, 3 * time.Second},
		{"other errors pass through", []error{errors.New("boom")}, true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &scriptedInvoker{errs: tt.errs}
			var slept time.Duration
			mw := floodWait(func(_ context.Context, d time.Duration) error { slept += d; return nil })
			err := mw.Handle(inv)(context.Background(), nil, nil)
			if (err != nil) != tt.wantErr || inv.calls != tt.wantCalls || slept != tt.wantSlept {
				t.Errorf("err=%v calls=%d slept=%s; want err=%v calls=%d slept=%s", err, inv.calls, slept, tt.wantErr, tt.wantCalls, tt.wantSlept)
			}
		})
	}
}
