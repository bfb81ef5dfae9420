//go:build integration

package connector_test

import (
	"context"
	"os"
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
	if _, err = loadtest.WaitReady(ctx, fleet.AppserviceURL(), fleet.Exited(), fleet.LogPath); err != nil {
		t.Fatal(err)
	}
	time.Sleep(settleTime(0))
	if err = fleet.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	empty := startFleet(t, 0)
	t.Logf("0 logins: RSS %.1f MiB, serving after %.2f s", loadtest.MiB(empty.rss), empty.startup.Seconds())
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
		perLogin := loadtest.MiB(run.rss-empty.rss) / float64(n)
		t.Logf("%d logins, %d portals: RSS %.1f MiB, %.3f MiB per login; serving after %.2f s (ping answered after %.2f s)",
			n, withPortals, loadtest.MiB(run.rss), perLogin, run.startup.Seconds(), run.ready.Seconds())
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
	ready, err := loadtest.WaitReady(ctx, fleet.AppserviceURL(), fleet.Exited(), fleet.LogPath)
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
	if run.rss, err = loadtest.VmRSS(fleet.Pid()); err != nil {
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

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
