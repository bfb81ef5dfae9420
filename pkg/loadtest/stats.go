package loadtest

import (
	"slices"
	"time"
)

// Summary describes a set of latencies.
type Summary struct {
	N             int
	P50, P99, Max time.Duration
}

// Summarize returns the nearest-rank percentiles of ds. It does not change ds.
func Summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	return Summary{
		N:   len(sorted),
		P50: percentile(sorted, 50),
		P99: percentile(sorted, 99),
		Max: sorted[len(sorted)-1],
	}
}

// percentile is the nearest-rank percentile p (0 < p ≤ 100) of sorted values.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}

// Ratio is a/b, or 0 when b is zero (a figure that was not measured).
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
