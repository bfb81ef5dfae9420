package connector

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLinkStateSet(t *testing.T) {
	l := newLinkState(offlineWait)
	steps := []struct {
		up, change bool
	}{
		{true, false}, // a new client's connection counts as up
		{false, true},
		{false, false},
		{true, true},
		{true, false},
	}
	for i, s := range steps {
		if got := l.set(s.up); got != s.change {
			t.Errorf("step %d: set(up=%v) = %v, want %v", i, s.up, got, s.change)
		}
	}
}

func TestLinkStateBound(t *testing.T) {
	t.Run("gone too long", func(t *testing.T) {
		l := newLinkState(0)
		l.set(false)
		ctx, done := l.bound(context.Background())
		defer done()
		<-ctx.Done()
		if cause := context.Cause(ctx); !errors.Is(cause, errOffline) {
			t.Fatalf("cause = %v, want errOffline", cause)
		}
		if err := offline(ctx, "message", ctx.Err()); !errors.Is(err, errOffline) {
			t.Errorf("offline(...) = %v, want it to wrap errOffline", err)
		}
	})
	t.Run("lost and back", func(t *testing.T) {
		l := newLinkState(offlineWait)
		parent, cancel := context.WithCancel(context.Background())
		ctx, done := l.bound(parent)
		defer done()
		l.set(false)
		l.set(true)
		cancel()
		<-ctx.Done()
		if cause := context.Cause(ctx); errors.Is(cause, errOffline) {
			t.Fatalf("cause = %v, want the parent's cancellation", cause)
		}
		failed := errors.New("FLOOD_WAIT")
		if err := offline(ctx, "message", failed); err != failed {
			t.Errorf("offline(...) = %v, want the event's own error", err)
		}
	})
}

func TestWaitUntil(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		since, start time.Time
		want         time.Time
	}{
		{"request made while the connection is gone", t0, t0.Add(30 * time.Second), t0.Add(30*time.Second + offlineWait)},
		{"connection lost while the request waits", t0.Add(5 * time.Second), t0, t0.Add(5*time.Second + offlineWait)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := waitUntil(tt.since, tt.start, offlineWait); !got.Equal(tt.want) {
				t.Errorf("waitUntil = %s, want %s", got, tt.want)
			}
		})
	}
}
