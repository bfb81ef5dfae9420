//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// TestMetricsCountBridgedMessages scrapes /metrics before and after messages go both ways and
// checks that each counter and histogram moved by exactly what was bridged.
func TestMetricsCountBridgedMessages(t *testing.T) {
	s := login(t, "Mia")
	ch, _, _ := openChat(t, s, "Noa", "first")
	net.DrainSent()
	before := settled(t)

	const in, out = 3, 2
	for i := 0; i < in; i++ {
		c := s.u.Cursor()
		body := fmt.Sprintf("in %d", i)
		ch.incoming(wafake.Text(body))
		s.u.WaitFor(t, ch.portal, c, body, matrixtest.MessageFrom(ch.ghost, body))
	}
	for i := 0; i < out; i++ {
		body := fmt.Sprintf("out %d", i)
		s.u.SendText(t, ch.portal, body)
		if got := sent(t); got.Message.GetConversation() != body {
			t.Fatalf("WhatsApp got %v, want %q", got.Message, body)
		}
	}
	after := settled(t)

	series := func(name string, labels ...string) string { return metrics.Series(name, labels...) }
	tests := []struct {
		name   string
		series string
		want   float64
	}{
		{"messages to Matrix", series("mxbridges_events_bridged_total", "direction", metrics.ToMatrix, "kind", "message"), in},
		{"messages to WhatsApp", series("mxbridges_events_bridged_total", "direction", metrics.ToNetwork, "kind", "message"), out},
		{"latency samples to Matrix", series("mxbridges_handling_seconds_count", "direction", metrics.ToMatrix), in},
		{"latency samples to WhatsApp", series("mxbridges_handling_seconds_count", "direction", metrics.ToNetwork), out},
	}
	for _, tt := range tests {
		if d := after[tt.series] - before[tt.series]; d != tt.want {
			t.Errorf("%s: %s moved by %v, want %v", tt.name, tt.series, d, tt.want)
		}
	}
	if got := after[series("mxbridges_logins", "network", "whatsapp", "state", "CONNECTED")]; got < 1 {
		t.Errorf("connected logins = %v, want ≥ 1", got)
	}
	if after[series("go_goroutines")] <= 0 || after[series("go_sql_open_connections", "db_name", "whatsapp")] <= 0 {
		t.Errorf("runtime or database pool figures missing: goroutines %v, open connections %v",
			after[series("go_goroutines")], after[series("go_sql_open_connections", "db_name", "whatsapp")])
	}
	if sum := after[series("mxbridges_handling_seconds_sum", "direction", metrics.ToMatrix)] - before[series("mxbridges_handling_seconds_sum", "direction", metrics.ToMatrix)]; sum <= 0 {
		t.Errorf("latency to Matrix summed %v s over %d messages, want > 0", sum, in)
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
