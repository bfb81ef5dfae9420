//go:build integration

package connector_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// TestBenchMemoryStartup measures the bridge binary's resident memory per idle login and its
// startup time with many logins and portals in its database (`make test`: a small fleet;
// `make bench`: 100 and 1,000 logins, 10,000 portals; see loadtest.FleetSize).
//
// The logins are paired whatsmeow devices seeded into the bridge's device store, so every
// start loads every device and connects it to the fake WhatsApp of this process (wafake over
// HTTP: a client, an event stream and the Connected event each). Per login = (RSS with N
// logins − RSS with none) / N, the worse over the counts; startup = exec to serving: the
// appservice ping answered (mautrix's /_matrix/mau/ready) and every login CONNECTED (its
// bridge state, sent to our status endpoint). It fails only when a figure could not be taken,
// never because it is high.
func TestBenchMemoryStartup(t *testing.T) {
	counts, portals, err := loadtest.FleetSize()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Cleanup(func() { _ = fleet.Stop(30 * time.Second) })
	// The stack started the binary on an empty database, which it migrated: measure restarts.
	// mautrix handles SIGTERM only once started, a little after it serves.
	if _, err = waitReady(ctx, fleet.AppserviceURL()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(settleTime(0))
	if err = fleet.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	empty := startFleet(t, 0)
	t.Logf("0 logins: RSS %.1f MiB, serving after %.2f s", mib(empty.rss), empty.startup.Seconds())
	var worst float64
	var startup time.Duration
	seeded := 0
	for i, n := range counts {
		if err = fleet.Stop(30 * time.Second); err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		if err = seedFleet(ctx, fleet, seeded, n); err != nil {
			t.Fatal(err)
		}
		seeded = n
		withPortals := 0
		if i == len(counts)-1 && portals > 0 {
			if err = seedPortals(ctx, fleet, portals); err != nil {
				t.Fatal(err)
			}
			withPortals = portals
		}
		t.Logf("seeded %d logins and %d portals in %.1f s", n, withPortals, time.Since(began).Seconds())
		run := startFleet(t, n)
		perLogin := mib(run.rss-empty.rss) / float64(n)
		t.Logf("%d logins, %d portals: RSS %.1f MiB, %.3f MiB per login; serving after %.2f s (ping answered after %.2f s)",
			n, withPortals, mib(run.rss), perLogin, run.startup.Seconds(), run.ready.Seconds())
		worst = max(worst, perLogin)
		startup = run.startup
	}
	t.Logf("whatsapp: RSS per idle login %.3f MiB (worst of %v logins; target ≤ %.0f MiB); startup with %d logins and %d portals %.2f s (target < %.0f s)",
		worst, counts, loadtest.Targets.RSSPerLoginMiB, counts[len(counts)-1], portals, startup.Seconds(), loadtest.Targets.StartupSeconds)
	if startup <= 0 {
		t.Fatalf("startup %v: not measured", startup)
	}
	if dir := os.Getenv(loadtest.EnvOut); dir != "" {
		r := loadtest.Result{Bridge: "whatsapp", RSSPerLoginMiB: worst, StartupSeconds: startup.Seconds()}
		if err = loadtest.WriteResultPart(dir, "memory", r); err != nil {
			t.Fatal(err)
		}
	}
}

// fleetRun is what one start of the fleet binary measured.
type fleetRun struct {
	startup time.Duration
	ready   time.Duration // until the appservice ping was answered
	rss     int64         // bytes, once the logins settled
}

// startFleet starts the fleet binary, waits until it serves with all logins connected, lets
// it settle and reads its resident memory.
func startFleet(t *testing.T, logins int) fleetRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	states.Reset()
	began := time.Now()
	if err := fleet.Start(); err != nil {
		t.Fatal(err)
	}
	ready, err := waitReady(ctx, fleet.AppserviceURL())
	if err != nil {
		t.Fatal(err)
	}
	done := ready
	if logins > 0 {
		connected, err := states.WaitConnected(ctx, logins)
		if err != nil {
			t.Fatal(err)
		}
		done = later(ready, connected)
	}
	run := fleetRun{startup: done.Sub(began), ready: ready.Sub(began)}
	// Idle: what connecting allocated is collected and the heap has settled.
	time.Sleep(settleTime(logins))
	if run.rss, err = vmRSS(fleet.Pid()); err != nil {
		t.Fatal(err)
	}
	if run.rss <= 0 {
		t.Fatalf("RSS %d: not measured", run.rss)
	}
	return run
}

// settleTime is how long the bridge idles after connecting before its memory is read.
func settleTime(logins int) time.Duration {
	return 3*time.Second + time.Duration(logins)*5*time.Millisecond
}

// waitReady polls mautrix's readiness endpoint, which answers 200 once the homeserver
// answered the appservice ping and the bridge takes transactions.
func waitReady(ctx context.Context, base string) (time.Time, error) {
	last := "no answer"
	for {
		select {
		case <-fleet.Exited():
			return time.Time{}, fmt.Errorf("wait for the bridge to serve: it exited (%s)", fleet.LogPath)
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_matrix/mau/ready", nil)
		if err != nil {
			return time.Time{}, fmt.Errorf("build readiness request: %w", err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("wait for the bridge to serve: %s: %w", last, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// vmRSS reads a process's resident set size from /proc.
func vmRSS(pid int) (int64, error) {
	if pid == 0 {
		return 0, fmt.Errorf("read RSS: the bridge is not running")
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read RSS: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("read RSS: %q: %w", rest, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("read RSS of %d: no VmRSS line", pid)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func mib(bytes int64) float64 { return float64(bytes) / (1 << 20) }
