//go:build integration

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/appservice"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/bridgeproc"
	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/loopback"
	"github.com/mxbridges/mxbridges/pkg/postgres"
	"github.com/mxbridges/mxbridges/pkg/synapse"
)

// TestInitAndDoctorAgainstSynapse sets both bridges up with init, registers them with a real
// Synapse, runs them, and has doctor find each problem it names, then none.
func TestInitAndDoctorAgainstSynapse(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bin := t.TempDir()
	for _, b := range knownBridges {
		if _, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/bridges/"+b+"/cmd/mxbridges-"+b, bin); err != nil {
			t.Fatal(err)
		}
	}
	hs, err := synapse.New(ctx, synapse.Options{Name: "doctor"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Stop(); _ = hs.Remove() })
	port := freeRun(t, len(knownBridges))

	// init writes both setups and says what to add to homeserver.yaml.
	dir := filepath.Join(t.TempDir(), "bridges")
	out, err := mxbridges(ctx, "init", "--homeserver", hs.URL, "--domain", hs.ServerName, "--bin", bin,
		"--out", dir, "--port", fmt.Sprint(port), "--admin", "@admin:"+hs.ServerName)
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	for _, want := range []string{"app_service_config_files:", filepath.Join(dir, "whatsapp", "registration.yaml"),
		filepath.Join(dir, "telegram", "registration.yaml"), "mxbridges doctor " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("init output lacks %q:\n%s", want, out)
		}
	}

	// Synapse is not running yet.
	report := doctor(t, ctx, dir, false)
	expect(t, report, "whatsapp", "homeserver", fail, "does not answer")
	expect(t, report, "telegram", "permissions", pass, "@admin:")

	for _, b := range knownBridges {
		reg, err := appservice.LoadRegistration(filepath.Join(dir, b, "registration.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err = hs.AddRegistration(reg); err != nil {
			t.Fatal(err)
		}
	}
	if err = hs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Registered, but the bridges are not running.
	report = doctor(t, ctx, dir, false)
	expect(t, report, "whatsapp", "appservice ping", fail, "cannot reach the bridge")
	expect(t, report, "telegram", "appservice ping", fail, "is mxbridges-telegram running")
	expect(t, report, "whatsapp", "database", pass, "will be created")

	procs := map[string]*bridgeproc.Process{}
	for _, b := range knownBridges {
		d := filepath.Join(dir, b)
		p := &bridgeproc.Process{Name: b, Binary: filepath.Join(bin, "mxbridges-"+b), Dir: d,
			ConfigPath: filepath.Join(d, "config.yaml"), RegistrationPath: filepath.Join(d, "registration.yaml"), LogPath: filepath.Join(d, "bridge.log")}
		if err = p.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Stop(10 * time.Second) })
		procs[b] = p
	}
	// Everything right: doctor passes once the bridges have come up.
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err = mxbridges(ctx, "doctor", dir)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			for _, p := range procs {
				log, _ := os.ReadFile(p.LogPath)
				t.Logf("log of %s:\n%s", p.Name, tail(string(log), 40))
			}
			t.Fatalf("doctor still fails with both bridges running:\n%s", out)
		}
		time.Sleep(time.Second)
	}
	if !strings.Contains(out, "All checks passed.") {
		t.Errorf("doctor passed without saying so:\n%s", out)
	}
	report = parseReport(out)
	expect(t, report, "whatsapp", "appservice ping", pass, "reaches the bridge")
	expect(t, report, "telegram", "bot profile", pass, "Telegram")
	expect(t, report, "whatsapp", "database", pass, "SQLite file")

	// status: no logins yet; then a login the bridge loads at its next start.
	if out, err = mxbridges(ctx, "status", dir); err != nil || strings.Count(out, "no logins yet") != 2 {
		t.Errorf("status before any login: %v\n%s", err, out)
	}
	if err = procs["whatsapp"].Stop(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if out, err = mxbridges(ctx, "status", dir); err == nil || !strings.Contains(out, "UNREACHABLE") {
		t.Errorf("status with the WhatsApp bridge stopped: %v\n%s", err, out)
	}
	addLogin(t, filepath.Join(dir, "whatsapp"), "@admin:"+hs.ServerName, "4915100000001")
	wa := procs["whatsapp"]
	procs["whatsapp"] = &bridgeproc.Process{Name: wa.Name, Binary: wa.Binary, Dir: wa.Dir, ConfigPath: wa.ConfigPath,
		RegistrationPath: wa.RegistrationPath, LogPath: wa.LogPath}
	if err = procs["whatsapp"].Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = procs["whatsapp"].Stop(10 * time.Second) })
	deadline = time.Now().Add(60 * time.Second)
	for {
		out, err = mxbridges(ctx, "status", dir)
		if err == nil && strings.Contains(out, "4915100000001") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status never listed the login: %v\n%s", err, out)
		}
		time.Sleep(time.Second)
	}
	// The login has no WhatsApp device behind it: the bridge says so in its state.
	if !regexp.MustCompile(`whatsapp\s+@admin:\S+\s+4915100000001\s+\S+\s+(BAD_CREDENTIALS|UNKNOWN_ERROR|CONNECTING|TRANSIENT_DISCONNECT)`).MatchString(out) {
		t.Errorf("status line of the login lacks its state:\n%s", out)
	}

	// Each problem doctor names, one at a time on the running stack.
	db, err := postgres.Create(ctx, "doctor")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()) })
	tgConfig := filepath.Join(dir, "telegram", "config.yaml")
	apply(t, tgConfig, map[string]any{"database.type": "postgres", "database.uri": db.URL})
	expect(t, doctor(t, ctx, dir, true), "telegram", "database", pass, "answers")
	apply(t, tgConfig, map[string]any{"database.uri": strings.Replace(db.URL, db.Name, db.Name+"_missing", 1)})
	expect(t, doctor(t, ctx, dir, false), "telegram", "database", fail, "does not exist")

	waConfig := filepath.Join(dir, "whatsapp", "config.yaml")
	apply(t, waConfig, map[string]any{"bridge.permissions": map[string]string{"*": "admin"}})
	expect(t, doctor(t, ctx, dir, false), "whatsapp", "permissions", fail, "anyone")
	apply(t, waConfig, map[string]any{"bridge.permissions": map[string]string{hs.ServerName: "user"}})
	report = doctor(t, ctx, dir, false) // telegram's database is still wrong
	expect(t, report, "whatsapp", "permissions", warn, "nobody is admin")

	// A setup Synapse was never told about.
	other := filepath.Join(t.TempDir(), "unregistered")
	if out, err = mxbridges(ctx, "init", "--homeserver", hs.URL, "--domain", hs.ServerName, "--bin", bin,
		"--out", other, "--bridges", "whatsapp", "--port", fmt.Sprint(freeRun(t, 1))); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	expect(t, doctor(t, ctx, other, false), "whatsapp", "appservice ping", fail, "does not know this registration")

	// Tokens rotated in the config but not given to Synapse.
	apply(t, waConfig, map[string]any{"appservice.as_token": "rotated"})
	expect(t, doctor(t, ctx, dir, false), "whatsapp", "config", fail, "tokens")
}

// mxbridges runs a command line of the CLI and returns what it printed.
func mxbridges(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(ctx, args, &out, &out)
	return out.String(), err
}

// doctor runs doctor on dir and checks whether it passed.
func doctor(t *testing.T, ctx context.Context, dir string, wantPass bool) map[string]finding {
	t.Helper()
	out, err := mxbridges(ctx, "doctor", dir)
	if (err == nil) != wantPass {
		t.Fatalf("doctor passed=%v, want %v:\n%s", err == nil, wantPass, out)
	}
	return parseReport(out)
}

var columns = regexp.MustCompile(`\s{2,}`)

// parseReport reads doctor's table, keyed by "bridge/check".
func parseReport(out string) map[string]finding {
	report := map[string]finding{}
	for _, line := range strings.Split(out, "\n") {
		cols := columns.Split(strings.TrimSpace(line), 4)
		if len(cols) < 3 || cols[0] == "BRIDGE" {
			continue
		}
		f := finding{bridge: cols[0], check: cols[1], verdict: verdict(cols[2])}
		if len(cols) == 4 {
			f.detail = cols[3]
		}
		report[f.bridge+"/"+f.check] = f
	}
	return report
}

func expect(t *testing.T, report map[string]finding, bridge, check string, want verdict, about string) {
	t.Helper()
	f, ok := report[bridge+"/"+check]
	if !ok {
		t.Errorf("doctor did not check %s of %s (report %v)", check, bridge, report)
		return
	}
	if f.verdict != want || !strings.Contains(f.detail, about) {
		t.Errorf("%s %s: %s %q, want %s about %q", bridge, check, f.verdict, f.detail, want, about)
	}
}

func apply(t *testing.T, path string, settings map[string]any) {
	t.Helper()
	if err := bridgeconf.Apply(path, settings); err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) {
	if err := postgres.Ensure(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// addLogin writes a login into a stopped bridge's SQLite database, as a login made earlier
// would have left it.
func addLogin(t *testing.T, dir, user, loginID string) {
	t.Helper()
	s := loadSetup(filepath.Base(dir), dir)
	path := strings.TrimPrefix(strings.SplitN(s.config.Database.URI, "?", 2)[0], "file:")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const bridgeID = "" // what bridgev2's mxmain gives every bridge
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO "user" (bridge_id, mxid) VALUES (?, ?)`, []any{bridgeID, user}},
		{`INSERT INTO user_login (bridge_id, user_mxid, id, remote_name, metadata) VALUES (?, ?, ?, ?, ?)`,
			[]any{bridgeID, user, loginID, "+" + loginID, `{"device_jid":"` + loginID + `.0:7@s.whatsapp.net"}`}},
	} {
		if _, err = db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
}

// freeRun finds n consecutive ports that are free on the loopback address now (init gives the
// bridges consecutive ports).
func freeRun(t *testing.T, n int) int {
	t.Helper()
	for attempt := 0; attempt < 50; attempt++ {
		first, err := loopback.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		free := true
		for p := first; p < first+n && free; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort(loopback.Host, fmt.Sprint(p)))
			if err != nil {
				free = false
				continue
			}
			_ = l.Close()
		}
		if free {
			return first
		}
	}
	t.Fatalf("no %d consecutive free ports", n)
	return 0
}
