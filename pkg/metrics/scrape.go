package metrics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Samples are the values of one scrape, keyed by series: a name and its labels in name
// order, as in `mxbridges_events_bridged_total{direction="to_matrix",kind="message"}`.
// A histogram gives its _count and _sum series.
type Samples map[string]float64

// Series is the key of a series in Samples; labels are name, value pairs.
func Series(name string, labels ...string) string {
	if len(labels) == 0 {
		return name
	}
	pairs := make([]string, 0, len(labels)/2)
	for i := 0; i+1 < len(labels); i += 2 {
		pairs = append(pairs, fmt.Sprintf("%s=%q", labels[i], labels[i+1]))
	}
	sort.Strings(pairs)
	return name + "{" + strings.Join(pairs, ",") + "}"
}

// Scrape reads the metrics served at url (a /metrics address).
func Scrape(ctx context.Context, url string) (Samples, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("make scrape request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape metrics: %s", resp.Status)
	}
	return Parse(resp.Body)
}

// ScrapeSettled scrapes url until two scrapes in a row agree on the suite's event series
// (mxbridges_events_*), or until ctx ends. A counter moves just after the event it counts is
// visible on the other side, so a scrape right after seeing an event may miss it.
func ScrapeSettled(ctx context.Context, url string) (Samples, error) {
	prev, err := Scrape(ctx, url)
	if err != nil {
		return nil, err
	}
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for settled metrics: %w", ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
		cur, err := Scrape(ctx, url)
		if err != nil {
			return nil, err
		}
		if sameEvents(prev, cur) {
			return cur, nil
		}
		prev = cur
	}
}

// sameEvents compares the suite's event series of two scrapes.
func sameEvents(a, b Samples) bool {
	const prefix = namespace + "_events_"
	for k, v := range a {
		if strings.HasPrefix(k, prefix) && b[k] != v {
			return false
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && strings.HasPrefix(k, prefix) {
			return false
		}
	}
	return true
}

// Parse reads metrics in Prometheus's text format.
func Parse(r io.Reader) (Samples, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("parse metrics: %w", err)
	}
	out := Samples{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			labels := make([]string, 0, 2*len(m.GetLabel()))
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName(), l.GetValue())
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[Series(name, labels...)] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[Series(name, labels...)] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[Series(name+"_count", labels...)] = float64(m.GetHistogram().GetSampleCount())
				out[Series(name+"_sum", labels...)] = m.GetHistogram().GetSampleSum()
			case dto.MetricType_UNTYPED:
				out[Series(name, labels...)] = m.GetUntyped().GetValue()
			case dto.MetricType_SUMMARY:
				out[Series(name+"_count", labels...)] = float64(m.GetSummary().GetSampleCount())
				out[Series(name+"_sum", labels...)] = m.GetSummary().GetSampleSum()
			}
		}
	}
	return out, nil
}
