package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeBridge is a bridge program that writes what -e and -g write, and logs its arguments.
const fakeBridge = `#!/bin/sh
echo "$@" >> "$MXB_DATA/calls"
case "$1" in
-e) printf 'homeserver:\n    address: http://example.localhost:8008\nappservice:\n    hostname: 127.0.0.1\n    port: 29318\ndatabase:\n    type: postgres\n    uri: postgres://x\nlogging:\n    min_level: debug\n' > "$3" ;;
-g) echo "id: fake" > "$5" ;;
esac
`

func TestEntrypointWritesConfigThenRegistration(t *testing.T) {
	bin, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "mxbridges-fake"), []byte(fakeBridge), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("MXB_DATA", data)
	t.Setenv("MXB_BRIDGE", "fake")

	var out bytes.Buffer
	if err := runEntrypoint(context.Background(), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Wrote "+filepath.Join(data, "config.yaml")) {
		t.Errorf("first start said %q", out.String())
	}
	cfg, err := os.ReadFile(filepath.Join(data, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"env_config_prefix: MXBRIDGES_", "hostname: 0.0.0.0", "type: sqlite3-fk-wal", "file:" + filepath.Join(data, "fake.db")} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
	if _, err = os.Stat(filepath.Join(data, "registration.yaml")); err == nil {
		t.Error("the first start wrote the registration too")
	}

	out.Reset()
	if err = runEntrypoint(context.Background(), []string{"fake"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "app_service_config_files") {
		t.Errorf("second start said %q", out.String())
	}
	calls, _ := os.ReadFile(filepath.Join(data, "calls"))
	want := "-e -c " + filepath.Join(data, "config.yaml") + "\n-g -c " + filepath.Join(data, "config.yaml") + " -r " + filepath.Join(data, "registration.yaml") + "\n"
	if string(calls) != want {
		t.Errorf("bridge calls:\n%s\nwant:\n%s", calls, want)
	}
}

func TestEntrypointNeedsTheBridge(t *testing.T) {
	t.Setenv("MXB_BRIDGE", "")
	if err := runEntrypoint(context.Background(), nil, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "MXB_BRIDGE") {
		t.Errorf("no bridge named: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if err := runEntrypoint(context.Background(), []string{"absent"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "find the bridge program") {
		t.Errorf("no program: %v", err)
	}
}

func TestHealth(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var live atomic.Bool
	live.Store(true)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_matrix/mau/live" || !live.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err = os.WriteFile(cfg, []byte("appservice:\n    hostname: 0.0.0.0\n    port: "+strconv.Itoa(port)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err = runHealth(context.Background(), []string{cfg}, &bytes.Buffer{}, nil); err != nil {
		t.Errorf("live bridge: %v", err)
	}
	live.Store(false)
	if err = runHealth(context.Background(), []string{cfg}, &bytes.Buffer{}, nil); err == nil {
		t.Error("a bridge answering 503 passed")
	}
	srv.Close()
	if err = runHealth(context.Background(), []string{cfg}, &bytes.Buffer{}, nil); err == nil {
		t.Error("a stopped bridge passed")
	}
}

func TestParsePermissions(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    map[string]string
		wantErr string
	}{
		{value: "example.org=user,@you:example.org=admin", want: map[string]string{"example.org": "user", "@you:example.org": "admin"}},
		{value: " *=relay , ", want: map[string]string{"*": "relay"}},
		{value: "example.org=owner", wantErr: "unknown level"},
		{value: "example.org", wantErr: "not WHO=LEVEL"},
		{value: "=admin", wantErr: "not WHO=LEVEL"},
		{value: ",", wantErr: "no WHO=LEVEL"},
	} {
		got, err := parsePermissions(tc.value)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parsePermissions(%q) error %v, want %q", tc.value, err, tc.wantErr)
			}
			continue
		}
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("parsePermissions(%q) = %v, %v; want %v", tc.value, got, err, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("parsePermissions(%q)[%q] = %q, want %q", tc.value, k, got[k], v)
			}
		}
	}
}

func TestEntrypointPermissionsAndReadableRegistration(t *testing.T) {
	bin, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "mxbridges-fake"), []byte(fakeBridge), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("MXB_DATA", data)
	t.Setenv("MXB_BRIDGE", "fake")
	var out bytes.Buffer
	if err := runEntrypoint(context.Background(), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	t.Setenv(permissionsEnv, "example.org=user,@you:example.org=admin")
	if err := runEntrypoint(context.Background(), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(data, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"example.org: user", "'@you:example.org': admin"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
	st, err := os.Stat(filepath.Join(data, "registration.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o004 == 0 {
		t.Errorf("registration mode %v: the homeserver's container cannot read it", st.Mode())
	}
	t.Setenv(permissionsEnv, "example.org=owner")
	if err = runEntrypoint(context.Background(), nil, &out, &out); err == nil {
		t.Error("a bad MXB_PERMISSIONS was accepted")
	}
}

func TestHealthFollowsEnvOverrides(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	// The file names a port nothing listens on; the environment names the real one.
	if err = os.WriteFile(cfg, []byte("appservice:\n    hostname: 0.0.0.0\n    port: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err = runHealth(context.Background(), []string{cfg}, &bytes.Buffer{}, nil); err == nil {
		t.Error("health passed on a port nothing listens on")
	}
	t.Setenv(envPrefix+"APPSERVICE__PORT", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	if err = runHealth(context.Background(), []string{cfg}, &bytes.Buffer{}, nil); err != nil {
		t.Errorf("health with the port from the environment: %v", err)
	}
}
