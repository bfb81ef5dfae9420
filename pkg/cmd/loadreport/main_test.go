package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

func TestBenchReportEndsWithTheSummaryLine(t *testing.T) {
	dir := t.TempDir()
	for _, r := range []loadtest.Result{
		{Bridge: "telegram", Baseline: loadtest.Summary{P50: 10 * time.Millisecond, P99: 10 * time.Millisecond}, ToMatrix: loadtest.Summary{P50: 12 * time.Millisecond, P99: 30 * time.Millisecond}},
		{Bridge: "whatsapp", Baseline: loadtest.Summary{P50: 10 * time.Millisecond, P99: 10 * time.Millisecond}, ToNetwork: loadtest.Summary{P50: 11 * time.Millisecond, P99: 11 * time.Millisecond}, StartupSeconds: 2},
	} {
		if err := loadtest.WriteResult(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	if err := run(&b, "bench", dir); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := "bench: latency_ratio_p50=1.20 latency_ratio_p99=3.00 throughput_ratio=n/a rss_mib_per_login=n/a startup_s=2.00"
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line = %q, want %q", last, want)
	}
	for _, table := range []string{"== telegram", "== whatsapp"} {
		if !strings.Contains(b.String(), table) {
			t.Errorf("report lacks the table %q", table)
		}
	}
}

func TestChaosReport(t *testing.T) {
	tests := []struct {
		name    string
		counts  []loadtest.Counts
		last    string
		wantErr bool
	}{
		{"exactly once", []loadtest.Counts{{Sent: 3, Received: 3}, {Sent: 2, Received: 2}}, "chaos: sent=5 received=5 lost=0 duplicated=0", false},
		{"a loss fails", []loadtest.Counts{{Sent: 3, Received: 2, Lost: 1}}, "chaos: sent=3 received=2 lost=1 duplicated=0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for i, c := range tt.counts {
				if err := loadtest.WriteCounts(dir, fmt.Sprintf("scenario-%d", i), c); err != nil {
					t.Fatal(err)
				}
			}
			var b strings.Builder
			err := run(&b, "chaos", dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			lines := strings.Split(strings.TrimSpace(b.String()), "\n")
			if last := lines[len(lines)-1]; last != tt.last {
				t.Errorf("last line = %q, want %q", last, tt.last)
			}
		})
	}
}
