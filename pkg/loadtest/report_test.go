package loadtest

import (
	"strings"
	"testing"
	"time"
)

func TestSummaryLine(t *testing.T) {
	base := Summary{N: 10, P50: 10 * time.Millisecond, P99: 20 * time.Millisecond}
	wa := Result{
		Bridge:   "whatsapp",
		Baseline: base,
		ToMatrix: Summary{P50: 11 * time.Millisecond, P99: 22 * time.Millisecond},
		// Matrix→network is the worse direction at p50.
		ToNetwork:    Summary{P50: 13 * time.Millisecond, P99: 21 * time.Millisecond},
		ToMatrixRate: 90, ToNetworkRate: 95, BaselineRate: 100,
		RSSPerLoginMiB: 0.5, StartupSeconds: 1.25,
	}
	tg := Result{
		Bridge:   "telegram",
		Baseline: base,
		ToMatrix: Summary{P50: 12 * time.Millisecond, P99: 40 * time.Millisecond},
		// p99 ratio 2 comes from here; throughput 0.8 is the lowest.
		ToNetwork:    Summary{P50: 10 * time.Millisecond, P99: 20 * time.Millisecond},
		ToMatrixRate: 80, ToNetworkRate: 120, BaselineRate: 100,
		RSSPerLoginMiB: 1.5,
	}
	tests := []struct {
		name    string
		results []Result
		want    string
	}{
		{"both", []Result{wa, tg}, "bench: latency_ratio_p50=1.30 latency_ratio_p99=2.00 throughput_ratio=0.80 rss_mib_per_login=1.50 startup_s=1.25"},
		{"one", []Result{wa}, "bench: latency_ratio_p50=1.30 latency_ratio_p99=1.10 throughput_ratio=0.90 rss_mib_per_login=0.50 startup_s=1.25"},
		{"nothing measured", []Result{{Bridge: "x"}}, "bench: latency_ratio_p50=n/a latency_ratio_p99=n/a throughput_ratio=n/a rss_mib_per_login=n/a startup_s=n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SummaryLine(tt.results); got != tt.want {
				t.Errorf("SummaryLine =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestWriteTable(t *testing.T) {
	var b strings.Builder
	WriteTable(&b, Result{
		Bridge: "telegram", Messages: 1000, Portals: 10,
		Baseline:     Summary{P50: 10 * time.Millisecond, P99: 20 * time.Millisecond},
		ToMatrix:     Summary{P50: 15 * time.Millisecond, P99: 20 * time.Millisecond},
		ToMatrixRate: 50, BaselineRate: 100,
	})
	out := b.String()
	for _, want := range []string{
		"== telegram (throughput: 1000 messages over 10 portals)",
		"latency p50 network→Matrix 15.0 ms 10.0 ms 1.50",
		"latency p50 Matrix→network n/a 10.0 ms n/a",
		"throughput network→Matrix 50 msg/s 100 msg/s 0.50",
		"worst latency ratio p50 / p99 1.50 / 1.00 ≤ 1.20 / ≤ 1.50",
		"RSS per idle login n/a ≤ 2.00 MiB", // unmeasured figures still have their row
	} {
		if !strings.Contains(squeeze(out), want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// squeeze folds runs of spaces, so that assertions do not depend on column widths.
func squeeze(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}
