//go:build integration

package connector_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// TestBenchMemoryStartup measures the bridge binary's resident memory per idle login and its
// startup time with many logins and portals in its database (`make test`: a small fleet;
// `make bench`: 100 and 1,000 logins, 10,000 portals; see loadtest.FleetSize).
//
// The logins are real MTProto sessions of fake Telegram accounts (tgfake.LoginSession)
// seeded into the database as the bridge stores them, so every start connects every login:
// key already exchanged, users.getUsers, updates.getDifference, the dialog catch-up.
// Per login = (RSS with N logins − RSS with none) / N, the worse over the counts; startup =
// exec to serving: the appservice ping answered (mautrix's /_matrix/mau/ready) and every login
// CONNECTED (its bridge state, sent to our status endpoint). It fails only when a figure could
// not be taken, never because it is high.
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
	empty := startFleet(t, 0, false)
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
		run := startFleet(t, n, i == len(counts)-1)
		perLogin := loadtest.MiB(run.rss-empty.rss) / float64(n)
		t.Logf("%d logins, %d portals: RSS %.1f MiB, %.3f MiB per login; serving after %.2f s (ping answered after %.2f s; CPU until then: bridge %.2f s, fake Telegram %.2f s)",
			n, withPortals, loadtest.MiB(run.rss), perLogin, run.startup.Seconds(), run.ready.Seconds(), run.cpu, run.fakeCPU)
		worst = max(worst, perLogin)
		startup = run.startup
	}
	t.Logf("telegram: RSS per idle login %.3f MiB (worst of %v logins; target ≤ %.0f MiB); startup with %d logins and %d portals %.2f s (target < %.0f s)",
		worst, counts, loadtest.Targets.RSSPerLoginMiB, counts[len(counts)-1], portals, startup.Seconds(), loadtest.Targets.StartupSeconds)
	if startup <= 0 {
		t.Fatalf("startup %v: not measured", startup)
	}
	if dir := os.Getenv(loadtest.EnvOut); dir != "" {
		r := loadtest.Result{Bridge: "telegram", RSSPerLoginMiB: worst, StartupSeconds: startup.Seconds()}
		if err = loadtest.WriteResultPart(dir, "memory", r); err != nil {
			t.Fatal(err)
		}
	}
}

// fleetRun is what one start of the fleet binary measured.
type fleetRun struct {
	startup time.Duration
	ready   time.Duration // until the appservice ping was answered
	cpu     float64       // CPU seconds the bridge used until serving
	fakeCPU float64       // CPU seconds this test process (the fake Telegram) used meanwhile
	rss     int64         // bytes, once the logins settled
}

// startFleet starts the fleet binary, waits until it serves with all logins connected, lets
// it settle and reads its resident memory. With profile and envProfile set, it stores CPU and
// heap profiles of this start.
func startFleet(t *testing.T, logins int, profile bool) fleetRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	states.Reset()
	ownCPU, err := cpuSeconds(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := fleet.Start(); err != nil {
		t.Fatal(err)
	}
	profileDir := os.Getenv(envProfile)
	profiled := make(chan error, 1)
	if profile && profileDir != "" {
		go func() { profiled <- profileCPU(ctx, profileDir, "startup-cpu.pprof", 15*time.Second) }()
	} else {
		profiled <- nil
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
	if run.cpu, err = cpuSeconds(fleet.Pid()); err != nil {
		t.Fatal(err)
	}
	if run.fakeCPU, err = cpuSeconds(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	run.fakeCPU -= ownCPU
	// Idle: what connecting allocated is collected and the heap has settled.
	time.Sleep(settleTime(logins))
	if run.rss, err = loadtest.VmRSS(fleet.Pid()); err != nil {
		t.Fatal(err)
	}
	if err = <-profiled; err != nil {
		t.Error(err)
	}
	if profile && profileDir != "" {
		if err = fetchProfile(ctx, "/debug/pprof/heap", filepath.Join(profileDir, "idle-heap.pprof")); err != nil {
			t.Error(err)
		}
		if err = copyFile(fleet.LogPath, filepath.Join(profileDir, "bridge.log")); err != nil {
			t.Error(err)
		}
		t.Logf("profiles and the log of the last start in %s", profileDir)
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
