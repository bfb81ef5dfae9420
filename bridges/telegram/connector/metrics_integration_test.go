//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// TestMetricsCountBridgedMessages scrapes /metrics before and after messages go both ways and
// checks that each counter and histogram moved by exactly what was bridged.
func TestMetricsCountBridgedMessages(t *testing.T) {
	s := login(t, "Mio")
	peer, portal, ghost, _, _ := chatWith(t, s, "Nia")
	before := settled(t)

	const in, out = 3, 2
	for i := 0; i < in; i++ {
		c := s.u.Cursor()
		body := fmt.Sprintf("in %d", i)
		if _, err := net.Deliver(context.Background(), s.acct, peer, body); err != nil {
			t.Fatal(err)
		}
		s.u.WaitFor(t, portal, c, body, matrixtest.MessageFrom(ghost, body))
	}
	for i := 0; i < out; i++ {
		body := fmt.Sprintf("out %d", i)
		s.u.SendText(t, portal, body)
		if got := sentOf(t, "message"); got.Text != body {
			t.Fatalf("Telegram got %+v, want %q", got, body)
		}
	}
	after := settled(t)

	series := metrics.Series
	tests := []struct {
		name   string
		series string
		want   float64
	}{
		{"messages to Matrix", series("mxbridges_events_bridged_total", "direction", metrics.ToMatrix, "kind", "message"), in},
		{"messages to Telegram", series("mxbridges_events_bridged_total", "direction", metrics.ToNetwork, "kind", "message"), out},
		{"latency samples to Telegram", series("mxbridges_handling_seconds_count", "direction", metrics.ToNetwork), out},
	}
	for _, tt := range tests {
		if d := after[tt.series] - before[tt.series]; d != tt.want {
			t.Errorf("%s: %s moved by %v, want %v", tt.name, tt.series, d, tt.want)
		}
	}
	// Telegram also sends read and typing updates of the chat, bridged on the same path: at
	// least one latency sample per message.
	if d := after[series("mxbridges_handling_seconds_count", "direction", metrics.ToMatrix)] - before[series("mxbridges_handling_seconds_count", "direction", metrics.ToMatrix)]; d < in {
		t.Errorf("latency samples to Matrix moved by %v, want ≥ %d", d, in)
	}
	if got := after[series("mxbridges_logins", "network", "telegram", "state", "CONNECTED")]; got < 1 {
		t.Errorf("connected logins = %v, want ≥ 1", got)
	}
	if after[series("go_goroutines")] <= 0 || after[series("go_sql_open_connections", "db_name", "telegram")] <= 0 {
		t.Errorf("runtime or database pool figures missing: goroutines %v, open connections %v",
			after[series("go_goroutines")], after[series("go_sql_open_connections", "db_name", "telegram")])
	}
}

// settled scrapes once the bridge's counters have caught up with what was seen in Matrix.
func settled(t *testing.T) metrics.Samples {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := metrics.ScrapeSettled(ctx, metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
