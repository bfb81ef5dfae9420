package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"
)

func TestParseInit(t *testing.T) {
	base := []string{"--homeserver", "http://127.0.0.1:8008", "--domain", "example.org", "--out", "x"}
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, o initOptions)
	}{
		{name: "defaults", args: base, check: func(t *testing.T, o initOptions) {
			if strings.Join(o.bridges, ",") != "whatsapp,telegram" || o.db != "sqlite" {
				t.Errorf("bridges %v db %q", o.bridges, o.db)
			}
		}},
		{name: "one bridge, postgres", args: append(base, "--bridges", "telegram,telegram", "--db", "postgres://u@db/mx_{bridge}"), check: func(t *testing.T, o initOptions) {
			p := o.params("telegram", "/d", 0)
			if strings.Join(o.bridges, ",") != "telegram" || p.DatabaseType != "postgres" || p.DatabaseURI != "postgres://u@db/mx_telegram" {
				t.Errorf("bridges %v params %+v", o.bridges, p)
			}
		}},
		{name: "sqlite file per bridge, ports in order, admin", args: append(base, "--port", "29400", "--admin", "@me:example.org"), check: func(t *testing.T, o initOptions) {
			p := o.params("telegram", "/d/telegram", 1)
			if p.DatabaseURI != "file:/d/telegram/telegram.db?_txlock=immediate" || p.ListenPort != 29401 || p.Permissions["@me:example.org"] != "admin" || p.Permissions["example.org"] != "user" {
				t.Errorf("params %+v", p)
			}
		}},
		{name: "no homeserver", args: []string{"--domain", "d", "--out", "x"}, wantErr: "--homeserver"},
		{name: "homeserver without scheme", args: []string{"--homeserver", "localhost:8008", "--domain", "d", "--out", "x"}, wantErr: "--homeserver"},
		{name: "no domain", args: []string{"--homeserver", "http://h", "--out", "x"}, wantErr: "--domain"},
		{name: "no out", args: []string{"--homeserver", "http://h", "--domain", "d"}, wantErr: "--out"},
		{name: "shared postgres database", args: append(base, "--db", "postgres://u@db/bridges"), wantErr: "{bridge}"},
		{name: "unknown database", args: append(base, "--db", "mysql://x"), wantErr: "--db"},
		{name: "unknown bridge", args: append(base, "--bridges", "whatsapp,icq"), wantErr: `unknown bridge "icq"`},
		{name: "bad admin", args: append(base, "--admin", "me"), wantErr: "--admin"},
		{name: "stray argument", args: append(base, "extra"), wantErr: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseInit(tt.args, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, o)
		})
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
		wantOut string
	}{
		{args: nil, wantErr: "no command"},
		{args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate"`},
		{args: []string{"help"}, wantOut: "mxbridges doctor DIR"},
		{args: []string{"doctor"}, wantErr: "needs the folder"},
		{args: []string{"doctor", "/nonexistent-mxbridges"}, wantErr: "read setup folder"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.wantErr)
		}
		if tt.wantErr == "" && (err != nil || !strings.Contains(out.String(), tt.wantOut)) {
			t.Errorf("%v: error %v, output %q", tt.args, err, out.String())
		}
	}
}

func TestInitRefusesToOverwriteAndNeedsBinaries(t *testing.T) {
	out := t.TempDir()
	args := []string{"init", "--homeserver", "http://127.0.0.1:1", "--domain", "d", "--out", out, "--bin", t.TempDir()}
	err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("missing binaries: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(out, "whatsapp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "whatsapp", "config.yaml"), []byte("x: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "already set up") {
		t.Errorf("existing setup: %v", err)
	}
}

func TestOfflineChecks(t *testing.T) {
	perms := func(m map[string]*bridgeconfig.Permissions) *setup {
		return &setup{name: "b", config: &bridgeconfig.Config{Bridge: bridgeconfig.BridgeConfig{Permissions: m}}}
	}
	admin := &bridgeconfig.Permissions{Admin: true}
	user := &bridgeconfig.Permissions{Login: true}
	valid := func() *setup {
		s := &setup{name: "b", reg: &appservice.Registration{AppToken: "a", ServerToken: "h", URL: "http://127.0.0.1:2"}, config: &bridgeconfig.Config{}}
		c := s.config
		c.Homeserver.Address, c.Homeserver.Domain = "http://127.0.0.1:1", "d"
		c.AppService.Address, c.AppService.ID, c.AppService.Bot.Username = "http://127.0.0.1:2", "b", "bot"
		c.AppService.ASToken, c.AppService.HSToken = "a", "h"
		c.Database.Type, c.Database.URI = "sqlite3-fk-wal", "file:/tmp/x.db"
		return s
	}
	rotated := valid()
	rotated.reg.AppToken = "other"
	moved := valid()
	moved.config.AppService.Address = "http://127.0.0.1:3"
	tests := []struct {
		name  string
		got   finding
		want  verdict
		about string
	}{
		{"admin set", perms(map[string]*bridgeconfig.Permissions{"@me:d": admin, "d": user}).checkPermissions(newFinding("b")), pass, "@me:d"},
		{"nobody admin", perms(map[string]*bridgeconfig.Permissions{"d": user}).checkPermissions(newFinding("b")), warn, "nobody is admin"},
		{"everyone admin", perms(map[string]*bridgeconfig.Permissions{"*": admin}).checkPermissions(newFinding("b")), fail, "anyone"},
		{"valid config", valid().checkConfig(newFinding("b")), pass, "tokens match"},
		{"tokens differ", rotated.checkConfig(newFinding("b")), fail, "tokens"},
		{"address differs", moved.checkConfig(newFinding("b")), fail, "registration's url"},
	}
	for _, tt := range tests {
		if tt.got.verdict != tt.want || !strings.Contains(tt.got.detail, tt.about) {
			t.Errorf("%s: %s %q, want %s about %q", tt.name, tt.got.verdict, tt.got.detail, tt.want, tt.about)
		}
	}
}

// newFinding is the finding maker diagnose gives the checks.
func newFinding(bridge string) mkFinding {
	return (&setup{name: bridge}).finder()
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"postgres://u:secret@db/x":  "postgres://u:***@db/x",
		"postgres://u@db/x":         "postgres://u@db/x",
		"postgres://db/x?sslmode=1": "postgres://db/x?sslmode=1",
	}
	for in, want := range tests {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
