package bridgeconf

import (
	"reflect"
	"testing"
)

func TestParamsSettings(t *testing.T) {
	tests := []struct {
		name string
		p    Params
		want map[string]any
	}{
		{
			name: "zero params set nothing",
			p:    Params{},
			want: map[string]any{},
		},
		{
			name: "homeserver URL also sets software",
			p:    Params{HomeserverURL: "http://127.0.0.1:8008"},
			want: map[string]any{
				"homeserver.address":  "http://127.0.0.1:8008",
				"homeserver.software": "standard",
			},
		},
		{
			name: "server name alone does not set software",
			p:    Params{ServerName: "example.test"},
			want: map[string]any{"homeserver.domain": "example.test"},
		},
		{
			name: "listen port with default host",
			p:    Params{ListenPort: 29999},
			want: map[string]any{
				"appservice.hostname": "127.0.0.1",
				"appservice.port":     29999,
				"appservice.address":  "http://127.0.0.1:29999",
			},
		},
		{
			name: "listen port with explicit host",
			p:    Params{ListenHost: "0.0.0.0", ListenPort: 8080},
			want: map[string]any{
				"appservice.hostname": "0.0.0.0",
				"appservice.port":     8080,
				"appservice.address":  "http://0.0.0.0:8080",
			},
		},
		{
			name: "listen host without port is ignored",
			p:    Params{ListenHost: "10.0.0.1"},
			want: map[string]any{},
		},
		{
			name: "appservice identity and database",
			p: Params{
				ID:               "fk",
				BotUsername:      "fkbot",
				UsernameTemplate: "fk_{{.}}",
				DatabaseType:     "postgres",
				DatabaseURI:      "postgres://u@localhost/db",
			},
			want: map[string]any{
				"appservice.id":                "fk",
				"appservice.bot.username":      "fkbot",
				"appservice.username_template": "fk_{{.}}",
				"database.type":                "postgres",
				"database.uri":                 "postgres://u@localhost/db",
			},
		},
		{
			name: "empty permissions map is omitted",
			p:    Params{Permissions: map[string]string{}},
			want: map[string]any{},
		},
		{
			name: "permissions",
			p:    Params{Permissions: map[string]string{"*": "relay", "example.test": "admin"}},
			want: map[string]any{
				"bridge.permissions": map[string]string{"*": "relay", "example.test": "admin"},
			},
		},
		{
			name: "log file sends JSON debug log to the file",
			p:    Params{LogFile: "/tmp/bridge.log"},
			want: map[string]any{
				"logging.min_level": "debug",
				"logging.writers": []map[string]any{
					{"type": "file", "format": "json", "filename": "/tmp/bridge.log"},
				},
			},
		},
		{
			name: "extra adds and overrides",
			p: Params{
				ServerName: "example.test",
				ListenPort: 1234,
				Extra: map[string]any{
					"homeserver.domain":    "override.test",
					"appservice.address":   "http://bridge.internal:1234",
					"bridge.relay.enabled": true,
				},
			},
			want: map[string]any{
				"homeserver.domain":    "override.test",
				"appservice.hostname":  "127.0.0.1",
				"appservice.port":      1234,
				"appservice.address":   "http://bridge.internal:1234",
				"bridge.relay.enabled": true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.Settings()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Settings() =\n  %#v\nwant\n  %#v", got, tt.want)
			}
		})
	}
}

// TestParamsSettingsFull checks that every field lands under its own key when all are set.
func TestParamsSettingsFull(t *testing.T) {
	p := Params{
		HomeserverURL:    "http://hs:8008",
		ServerName:       "example.test",
		ListenHost:       "localhost",
		ListenPort:       1,
		ID:               "id",
		BotUsername:      "bot",
		UsernameTemplate: "t_{{.}}",
		DatabaseType:     "sqlite3-fk-wal",
		DatabaseURI:      "file:x.db",
		Permissions:      map[string]string{"*": "user"},
		LogFile:          "log.json",
	}
	s := p.Settings()
	wantKeys := []string{
		"homeserver.address", "homeserver.domain", "homeserver.software",
		"appservice.hostname", "appservice.port", "appservice.address",
		"appservice.id", "appservice.bot.username", "appservice.username_template",
		"database.type", "database.uri", "bridge.permissions",
		"logging.min_level", "logging.writers",
	}
	if len(s) != len(wantKeys) {
		t.Errorf("Settings() has %d keys, want %d: %v", len(s), len(wantKeys), s)
	}
	for _, k := range wantKeys {
		if _, ok := s[k]; !ok {
			t.Errorf("Settings() lacks %q", k)
		}
	}
	if got := s["appservice.address"]; got != "http://localhost:1" {
		t.Errorf("appservice.address = %v, want http://localhost:1", got)
	}
}

// TestParamsSettingsIPv6ListenHost documents a bug in params.go: appservice.address is built
// with fmt.Sprintf("http://%s:%d", host, port), so an IPv6 ListenHost such as "::1" yields
// "http://::1:29999", which is not a valid URL (the host must be bracketed). The registration's
// url and the bridge's own address then point nowhere. net.JoinHostPort would bracket it.
func TestParamsSettingsIPv6ListenHost(t *testing.T) {
	s := Params{ListenHost: "::1", ListenPort: 29999}.Settings()
	if got, want := s["appservice.address"], "http://[::1]:29999"; got != want {
		t.Errorf("appservice.address = %v, want %v", got, want)
	}
}
