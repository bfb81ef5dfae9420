package metrics

import (
	"database/sql"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"maunium.net/go/mautrix/bridgev2"
)

// dashboard is the part of a Grafana dashboard the test reads.
type dashboard struct {
	Title  string `json:"title"`
	Panels []struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

// metricName matches the metric names a PromQL query may use from a bridge's scrape.
var metricName = regexp.MustCompile(`\b(?:mxbridges|go|process)_[a-z0-9_]+\b`)

func TestDashboardUsesServedMetrics(t *testing.T) {
	data, err := os.ReadFile("../../docs/grafana/mxbridges.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err = json.Unmarshal(data, &d); err != nil {
		t.Fatalf("the dashboard is not valid JSON: %v", err)
	}

	// What a bridge serves: the suite's metrics, its logins and its database pool.
	r := New()
	if err = r.Watch(&bridgev2.Bridge{}, "test"); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", "postgres://127.0.0.1:1/none") // never connected: only its pool figures are read
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err = r.Register(collectors.NewDBStatsCollector(db, "test")); err != nil {
		t.Fatal(err)
	}
	r.Bridged(ToMatrix, "message", time.Now())
	r.Failed(ToMatrix, "message", "rejected")
	r.Reconnected("connection_lost")
	r.Backfilled("forward", 1)
	families, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, f := range families {
		served[f.GetName()] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, suffix := range []string{"_bucket", "_count", "_sum"} {
				served[f.GetName()+suffix] = true
			}
		}
	}

	queries := 0
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			queries++
			names := metricName.FindAllString(target.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q: query %q names no metric of the bridges", p.Title, target.Expr)
			}
			for _, name := range names {
				if !served[name] {
					t.Errorf("panel %q: %s is not served (query %q)", p.Title, name, target.Expr)
				}
			}
		}
	}
	if queries < 8 || !strings.Contains(string(data), "mxbridges_logins") {
		t.Errorf("the dashboard has %d queries and must show the logins: is it the right file?", queries)
	}
}
