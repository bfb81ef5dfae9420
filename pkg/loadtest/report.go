package loadtest

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"
)

// Result is what one bridge measured in one run, next to the homeserver's own figures from
// the same run. A zero figure was not measured and prints as n/a.
type Result struct {
	Bridge string
	// Messages and Portals describe the load of the throughput runs.
	Messages, Portals int

	// Latencies, one message at a time: network→Matrix, Matrix→network, and the homeserver
	// alone (one plain client sends, another one's /sync sees it).
	ToMatrix, ToNetwork, Baseline Summary
	// Throughput in messages per second with Messages over Portals: through the bridge each
	// way, and the homeserver alone with plain clients at the same concurrency.
	ToMatrixRate, ToNetworkRate, BaselineRate float64

	// RSSPerLoginMiB is the bridge process's resident memory per idle login, measured at 100
	// and 1,000 logins (the worse of the two is reported).
	RSSPerLoginMiB float64
	// StartupSeconds is the time from process start to serving with many logins and portals.
	StartupSeconds float64
}

// merge fills r's unmeasured figures from o's.
func (r Result) merge(o Result) Result {
	pickInt := func(a, b int) int {
		if a == 0 {
			return b
		}
		return a
	}
	pickF := func(a, b float64) float64 {
		if a == 0 {
			return b
		}
		return a
	}
	pickS := func(a, b Summary) Summary {
		if a == (Summary{}) {
			return b
		}
		return a
	}
	r.Messages, r.Portals = pickInt(r.Messages, o.Messages), pickInt(r.Portals, o.Portals)
	r.ToMatrix, r.ToNetwork, r.Baseline = pickS(r.ToMatrix, o.ToMatrix), pickS(r.ToNetwork, o.ToNetwork), pickS(r.Baseline, o.Baseline)
	r.ToMatrixRate, r.ToNetworkRate = pickF(r.ToMatrixRate, o.ToMatrixRate), pickF(r.ToNetworkRate, o.ToNetworkRate)
	r.BaselineRate = pickF(r.BaselineRate, o.BaselineRate)
	r.RSSPerLoginMiB, r.StartupSeconds = pickF(r.RSSPerLoginMiB, o.RSSPerLoginMiB), pickF(r.StartupSeconds, o.StartupSeconds)
	return r
}

// LatencyRatio is the worse direction's latency over the baseline's, at percentile p (50 or 99).
func (r Result) LatencyRatio(p int) float64 {
	pick := func(s Summary) float64 {
		if p == 99 {
			return s.P99.Seconds()
		}
		return s.P50.Seconds()
	}
	base := pick(r.Baseline)
	return math.Max(Ratio(pick(r.ToMatrix), base), Ratio(pick(r.ToNetwork), base))
}

// ThroughputRatio is the slower direction's rate over the baseline's, 0 when unmeasured.
func (r Result) ThroughputRatio() float64 {
	to, from := Ratio(r.ToMatrixRate, r.BaselineRate), Ratio(r.ToNetworkRate, r.BaselineRate)
	switch {
	case to == 0:
		return from
	case from == 0:
		return to
	}
	return math.Min(to, from)
}

// Targets are the figures `make bench` aims for; they are printed next to the measurements,
// never asserted.
var Targets = struct {
	LatencyP50, LatencyP99, Throughput, RSSPerLoginMiB, StartupSeconds float64
}{1.2, 1.5, 0.9, 2, 3}

// WriteTable prints one readable table for a bridge.
func WriteTable(w io.Writer, r Result) {
	fmt.Fprintf(w, "\n== %s (throughput: %d messages over %d portals)\n", r.Bridge, r.Messages, r.Portals)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tbridge\thomeserver alone\tratio\ttarget")
	lat := func(name string, bridge, base time.Duration) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, ms(bridge), ms(base), num(Ratio(bridge.Seconds(), base.Seconds())))
	}
	lat("latency p50 network→Matrix", r.ToMatrix.P50, r.Baseline.P50)
	lat("latency p50 Matrix→network", r.ToNetwork.P50, r.Baseline.P50)
	lat("latency p99 network→Matrix", r.ToMatrix.P99, r.Baseline.P99)
	lat("latency p99 Matrix→network", r.ToNetwork.P99, r.Baseline.P99)
	rate := func(name string, bridge float64) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, perSecond(bridge), perSecond(r.BaselineRate), num(Ratio(bridge, r.BaselineRate)))
	}
	rate("throughput network→Matrix", r.ToMatrixRate)
	rate("throughput Matrix→network", r.ToNetworkRate)
	fmt.Fprintf(tw, "worst latency ratio p50 / p99\t\t\t%s / %s\t≤ %s / ≤ %s\n",
		num(r.LatencyRatio(50)), num(r.LatencyRatio(99)), num(Targets.LatencyP50), num(Targets.LatencyP99))
	fmt.Fprintf(tw, "worst throughput ratio\t\t\t%s\t≥ %s\n", num(r.ThroughputRatio()), num(Targets.Throughput))
	fmt.Fprintf(tw, "RSS per idle login\t%s\t\t\t≤ %s MiB\n", unit(r.RSSPerLoginMiB, "MiB"), num(Targets.RSSPerLoginMiB))
	fmt.Fprintf(tw, "startup with logins and portals\t%s\t\t\t< %s s\n", unit(r.StartupSeconds, "s"), num(Targets.StartupSeconds))
	tw.Flush()
}

// SummaryLine is the last line of `make bench`: the worst figure of each kind across bridges.
// Latency, memory and startup are worst when highest, throughput when lowest; figures no
// bridge measured print as n/a.
func SummaryLine(results []Result) string {
	var p50, p99, rss, startup float64
	throughput := math.Inf(1)
	for _, r := range results {
		p50 = math.Max(p50, r.LatencyRatio(50))
		p99 = math.Max(p99, r.LatencyRatio(99))
		if t := r.ThroughputRatio(); t > 0 {
			throughput = math.Min(throughput, t)
		}
		rss = math.Max(rss, r.RSSPerLoginMiB)
		startup = math.Max(startup, r.StartupSeconds)
	}
	if math.IsInf(throughput, 1) {
		throughput = 0
	}
	return fmt.Sprintf("bench: latency_ratio_p50=%s latency_ratio_p99=%s throughput_ratio=%s rss_mib_per_login=%s startup_s=%s",
		num(p50), num(p99), num(throughput), num(rss), num(startup))
}

// num prints a figure with two decimals, or n/a when it was not measured.
func num(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", x)
}

// unit prints a figure with its unit, or n/a.
func unit(x float64, u string) string {
	if n := num(x); n != "n/a" {
		return n + " " + u
	}
	return "n/a"
}

func ms(d time.Duration) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func perSecond(x float64) string {
	if x == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f msg/s", x)
}
