package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

func TestRecording(t *testing.T) {
	r := New()
	start := time.Now().Add(-30 * time.Millisecond)
	r.Bridged(ToMatrix, "message", start)
	r.Bridged(ToMatrix, "message", start)
	r.Bridged(ToMatrix, "reaction", start)
	sendErr := error(bridgev2.WrapErrorInStatus(errors.New("boom")).WithErrorReason(event.MessageStatusUnsupported))
	var noErr error
	r.Sent("message", start, &noErr)
	r.Sent("message", start, &sendErr)
	r.Failed(ToMatrix, "message", "retryable")
	r.Reconnected("network")
	r.Backfilled("forward", 25)

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"messages to Matrix", testutil.ToFloat64(r.bridged.WithLabelValues(ToMatrix, "message")), 2},
		{"reactions to Matrix", testutil.ToFloat64(r.bridged.WithLabelValues(ToMatrix, "reaction")), 1},
		{"messages to the network", testutil.ToFloat64(r.bridged.WithLabelValues(ToNetwork, "message")), 1},
		{"failed sends by status reason", testutil.ToFloat64(r.failed.WithLabelValues(ToNetwork, "message", string(event.MessageStatusUnsupported))), 1},
		{"failed to Matrix", testutil.ToFloat64(r.failed.WithLabelValues(ToMatrix, "message", "retryable")), 1},
		{"reconnects", testutil.ToFloat64(r.reconnects.WithLabelValues("network")), 1},
		{"backfill", testutil.ToFloat64(r.backfilled.WithLabelValues("forward")), 25},
		{"latency observations to Matrix", float64(histogramCount(t, r, ToMatrix)), 3},
		{"latency observations to the network", float64(histogramCount(t, r, ToNetwork)), 1},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// histogramCount reads the sample count of the latency histogram of direction.
func histogramCount(t *testing.T, r *Registry, direction string) uint64 {
	t.Helper()
	families, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != namespace+"_handling_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "direction" && l.GetValue() == direction {
					return m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}

func TestReason(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"plain error", errors.New("network is down"), "error"},
		{"status with a reason", bridgev2.WrapErrorInStatus(errors.New("x")).WithErrorReason(event.MessageStatusTooOld), string(event.MessageStatusTooOld)},
		{"wrapped status", fmt.Errorf("send: %w", bridgev2.WrapErrorInStatus(errors.New("x")).WithErrorReason(event.MessageStatusNetworkError)), string(event.MessageStatusNetworkError)},
		{"status with its default reason", bridgev2.WrapErrorInStatus(errors.New("x")), string(bridgev2.WrapErrorInStatus(errors.New("x")).ErrorReason)},
		{"status with an empty reason", bridgev2.MessageStatus{Status: event.MessageStatusFail}, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Reason(tt.err); got != tt.want {
				t.Errorf("Reason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestServe(t *testing.T) {
	r := New()
	r.Bridged(ToMatrix, "message", time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := r.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`mxbridges_events_bridged_total{direction="to_matrix",kind="message"} 1`,
		"mxbridges_handling_seconds_bucket",
		"go_goroutines",
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if _, err := r.Serve(ctx, s.Addr()); err == nil {
		t.Error("a second server on a taken address started")
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get("http://" + s.Addr() + "/metrics"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server still answers after its context ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRemoteKind(t *testing.T) {
	tests := []struct {
		in   bridgev2.RemoteEventType
		want string
	}{
		{bridgev2.RemoteEventMessage, "message"},
		{bridgev2.RemoteEventReactionRemove, "reaction_remove"},
		{bridgev2.RemoteEventMessageUpsert, "message_upsert"},
		{bridgev2.RemoteEventUnknown, "unknown"},
	}
	for _, tt := range tests {
		if got := RemoteKind(tt.in); got != tt.want {
			t.Errorf("RemoteKind(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScrapeParsesWhatServeServes(t *testing.T) {
	r := New()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := r.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.Bridged(ToNetwork, "message", time.Now().Add(-time.Second))
	r.Failed(ToMatrix, "edit", "rejected")
	got, err := Scrape(ctx, "http://"+s.Addr()+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		series string
		want   float64
	}{
		{Series("mxbridges_events_bridged_total", "kind", "message", "direction", ToNetwork), 1},
		{Series("mxbridges_events_failed_total", "direction", ToMatrix, "kind", "edit", "reason", "rejected"), 1},
		{Series("mxbridges_handling_seconds_count", "direction", ToNetwork), 1},
	}
	for _, tt := range tests {
		if v, ok := got[tt.series]; !ok || v != tt.want {
			t.Errorf("%s = %v (present %v), want %v", tt.series, v, ok, tt.want)
		}
	}
	if sum := got[Series("mxbridges_handling_seconds_sum", "direction", ToNetwork)]; sum < 1 {
		t.Errorf("latency sum %v, want ≥ 1 s", sum)
	}
	if _, err := Parse(strings.NewReader("not { metrics")); err == nil {
		t.Error("Parse took malformed text")
	}
}

func TestScrapeSettledWaitsForCountersToStop(t *testing.T) {
	r := New()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := r.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// Counts still arriving while the first scrapes run: a settled scrape must see all 5.
	go func() {
		for i := 0; i < 5; i++ {
			r.Bridged(ToMatrix, "message", time.Now())
			time.Sleep(100 * time.Millisecond)
		}
	}()
	got, err := ScrapeSettled(ctx, "http://"+s.Addr()+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	if v := got[Series("mxbridges_events_bridged_total", "direction", ToMatrix, "kind", "message")]; v != 5 {
		t.Errorf("settled scrape saw %v messages, want 5", v)
	}
	short, cancelShort := context.WithCancel(context.Background())
	cancelShort()
	if _, err := ScrapeSettled(short, "http://"+s.Addr()+"/metrics"); err == nil {
		t.Error("a cancelled wait returned samples")
	}
}
