package bridgeconf

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet"
)

// writeFile writes content to a new file in a temp dir and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lookup follows a dotted path through decoded YAML maps. Keys that contain dots cannot be
// reached; compare their parent map instead.
func lookup(t *testing.T, doc map[string]any, path string) (any, bool) {
	t.Helper()
	var cur any = doc
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

const applyBase = `# Homeserver details.
homeserver:
    # The address that this appservice can use to connect to the homeserver.
    address: http://example.localhost:8008 # the CS API
    domain: example.com
bridge:
    # Permissions for using the bridge.
    permissions:
        "*": relay
        "example.com": user
        "@admin:example.com": admin
    relay:
        enabled: false
logging:
    min_level: info
    writers:
        - type: stdout
          format: pretty-colored
`

func TestApply(t *testing.T) {
	tests := []struct {
		name     string
		initial  string
		settings map[string]any
		// want maps dotted paths to the value decoded from the resulting file.
		want map[string]any
		// contains lists raw substrings of the resulting file (comments, layout).
		contains []string
	}{
		{
			name:     "sets nested existing scalar",
			initial:  applyBase,
			settings: map[string]any{"homeserver.address": "http://127.0.0.1:1"},
			want: map[string]any{
				"homeserver.address":   "http://127.0.0.1:1",
				"homeserver.domain":    "example.com",
				"bridge.relay.enabled": false,
				"logging.min_level":    "info",
				"bridge.permissions":   map[string]any{"*": "relay", "example.com": "user", "@admin:example.com": "admin"},
			},
		},
		{
			name:    "creates missing nested keys",
			initial: applyBase,
			settings: map[string]any{
				"appservice.bot.username": "fkbot",
				"appservice.port":         29999,
				"homeserver.software":     "standard",
				"bridge.relay.admin_only": true,
			},
			want: map[string]any{
				"appservice.bot.username": "fkbot",
				"appservice.port":         29999,
				"homeserver.software":     "standard",
				"homeserver.address":      "http://example.localhost:8008",
				"bridge.relay.admin_only": true,
				"bridge.relay.enabled":    false,
			},
		},
		{
			name:    "replaces a map value",
			initial: applyBase,
			settings: map[string]any{
				"bridge.permissions": map[string]string{"*": "user", "example.test": "admin"},
			},
			want: map[string]any{
				"bridge.permissions": map[string]any{"*": "user", "example.test": "admin"},
			},
		},
		{
			name:    "replaces a list value",
			initial: applyBase,
			settings: map[string]any{
				"logging.writers": []map[string]any{{"type": "file", "format": "json", "filename": "/tmp/x.log"}},
			},
			want: map[string]any{
				"logging.writers": []any{map[string]any{"type": "file", "format": "json", "filename": "/tmp/x.log"}},
			},
		},
		{
			name:    "replaces a scalar with a map",
			initial: "a:\n    b: 1\n",
			settings: map[string]any{
				"a.b": map[string]int{"c": 2},
			},
			want: map[string]any{"a.b.c": 2},
		},
		{
			name:    "keeps comments of replaced keys",
			initial: applyBase,
			settings: map[string]any{
				"homeserver.address": "http://127.0.0.1:1",
				"bridge.permissions": map[string]string{"*": "admin"},
			},
			want: map[string]any{"homeserver.address": "http://127.0.0.1:1"},
			contains: []string{
				"# Homeserver details.",
				"# The address that this appservice can use to connect to the homeserver.",
				"address: http://127.0.0.1:1 # the CS API",
				"# Permissions for using the bridge.",
			},
		},
		{
			name:     "empty settings keep the content",
			initial:  applyBase,
			settings: map[string]any{},
			want: map[string]any{
				"homeserver.domain":  "example.com",
				"logging.min_level":  "info",
				"bridge.permissions": map[string]any{"*": "relay", "example.com": "user", "@admin:example.com": "admin"},
			},
			contains: []string{"address: http://example.localhost:8008 # the CS API"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.initial)
			if err := Apply(path, tt.settings); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			raw := readFile(t, path)
			var doc map[string]any
			if err := yaml.Unmarshal([]byte(raw), &doc); err != nil {
				t.Fatalf("result is not YAML: %v\n%s", err, raw)
			}
			for key, want := range tt.want {
				got, ok := lookup(t, doc, key)
				if !ok {
					t.Errorf("%s missing in\n%s", key, raw)
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", key, got, want)
				}
			}
			for _, sub := range tt.contains {
				if !strings.Contains(raw, sub) {
					t.Errorf("result lacks %q:\n%s", sub, raw)
				}
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name     string
		initial  string
		settings map[string]any
		wantErr  []string
	}{
		{
			name:     "path through a scalar",
			initial:  applyBase,
			settings: map[string]any{"homeserver.address.port": 1},
			wantErr:  []string{"set homeserver.address.port", `"port" is inside a scalar`},
		},
		{
			name:     "path through a list",
			initial:  applyBase,
			settings: map[string]any{"logging.writers.type": "file"},
			wantErr:  []string{"set logging.writers.type", `"type" is inside a list`},
		},
		{
			name:     "top level is a list",
			initial:  "- a\n- b\n",
			settings: map[string]any{"a": 1},
			wantErr:  []string{"top level is not a mapping"},
		},
		{
			name:     "top level is a scalar",
			initial:  "just text\n",
			settings: map[string]any{"a": 1},
			wantErr:  []string{"top level is not a mapping"},
		},
		{
			name:     "empty file",
			initial:  "",
			settings: map[string]any{"a": 1},
			wantErr:  []string{"top level is not a mapping"},
		},
		{
			name:     "invalid YAML",
			initial:  "a: [\n",
			settings: map[string]any{"a": 1},
			wantErr:  []string{"parse config"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.initial)
			err := Apply(path, tt.settings)
			if err == nil {
				t.Fatalf("Apply succeeded, want error; file now:\n%s", readFile(t, path))
			}
			for _, sub := range tt.wantErr {
				if !strings.Contains(err.Error(), sub) {
					t.Errorf("error %q lacks %q", err, sub)
				}
			}
			if got := readFile(t, path); got != tt.initial {
				t.Errorf("failed Apply changed the file:\n%s", got)
			}
		})
	}
}

func TestApplyMissingFile(t *testing.T) {
	err := Apply(filepath.Join(t.TempDir(), "nope.yaml"), map[string]any{"a": 1})
	if err == nil || !strings.Contains(err.Error(), "read config") {
		t.Fatalf("Apply on a missing file: err = %v, want a read error", err)
	}
}

// TestApplyLineCommentOnKindChange documents a bug in params.go encodeInto: when a scalar that
// carries a line comment ("other: 1 # about other") is replaced by a map or a list, the comment
// is copied onto the new block node, and yaml.v3 emits a block node's line comment after the next
// scalar, so the comment moves to the following key ("next: 2 # about other"). The comment should
// stay with "other" (e.g. moved to the key node when the new value is a block collection).
func TestApplyLineCommentOnKindChange(t *testing.T) {
	for _, value := range []any{map[string]int{"a": 1}, []string{"x", "y"}} {
		path := writeFile(t, "bridge:\n    other: 1 # about other\n    next: 2\n")
		if err := Apply(path, map[string]any{"bridge.other": value}); err != nil {
			t.Fatal(err)
		}
		raw := readFile(t, path)
		if strings.Contains(raw, "next: 2 # about other") {
			t.Errorf("comment of bridge.other moved to bridge.next:\n%s", raw)
		}
		if !strings.Contains(raw, "# about other") {
			t.Errorf("comment of bridge.other lost:\n%s", raw)
		}
	}
}

func TestExample(t *testing.T) {
	example, err := Example(fakenet.New().Connector())
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{
		"# Network-specific config options\nnetwork:\n",
		"    greeting: hello from fakenet\n",
		"\nhomeserver:",
		"\nappservice:",
		"\nbridge:",
		"\ndatabase:",
	} {
		if !strings.Contains(example, sub) {
			t.Errorf("example config lacks %q", sub)
		}
	}
	var doc map[string]any
	if err = yaml.Unmarshal([]byte(example), &doc); err != nil {
		t.Fatalf("example is not YAML: %v", err)
	}
	if got, _ := lookup(t, doc, "network.greeting"); got != "hello from fakenet" {
		t.Errorf("network.greeting = %#v", got)
	}
	// The base template is rendered with the connector's name.
	if got, _ := lookup(t, doc, "appservice.id"); got != "fakenet" {
		t.Errorf("appservice.id = %#v, want the connector's network ID", got)
	}
	if got, _ := lookup(t, doc, "appservice.port"); got != 29399 {
		t.Errorf("appservice.port = %#v, want the connector's default port", got)
	}
}

func createParams() Params {
	return Params{
		HomeserverURL:    "http://127.0.0.1:1",
		ServerName:       "example.test",
		ListenPort:       29999,
		ID:               "fk",
		BotUsername:      "fkbot",
		UsernameTemplate: "fk_{{.}}",
		DatabaseType:     "sqlite3-fk-wal",
		DatabaseURI:      "file:/tmp/x.db",
		Permissions:      map[string]string{"*": "relay", "example.test": "user"},
	}
}

func TestCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	reg, cfg, err := Create(path, fakenet.New().Connector(), createParams())
	if err != nil {
		t.Fatalf("Create: %v", err)
	}

	if reg.AppToken == "" || reg.ServerToken == "" || reg.AppToken == reg.ServerToken {
		t.Errorf("registration tokens as=%q hs=%q, want two distinct non-empty tokens", reg.AppToken, reg.ServerToken)
	}
	if reg.AppToken != cfg.AppService.ASToken {
		t.Errorf("registration as_token %q != config appservice.as_token %q", reg.AppToken, cfg.AppService.ASToken)
	}
	if reg.ServerToken != cfg.AppService.HSToken {
		t.Errorf("registration hs_token %q != config appservice.hs_token %q", reg.ServerToken, cfg.AppService.HSToken)
	}
	if reg.URL != "http://127.0.0.1:29999" {
		t.Errorf("registration url = %q", reg.URL)
	}
	if reg.ID != "fk" {
		t.Errorf("registration id = %q", reg.ID)
	}

	matches := func(userID string) bool {
		for _, ns := range reg.Namespaces.UserIDs {
			if regexp.MustCompile(ns.Regex).MatchString(userID) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		userID string
		want   bool
	}{
		{"@fkbot:example.test", true},
		{"@fk_alice:example.test", true},
		{"@someone:example.test", false},
		{"@fkbot:other.test", false},
		{"@fk_alice:other.test", false},
	} {
		if got := matches(tc.userID); got != tc.want {
			t.Errorf("user namespaces match %s = %v, want %v (namespaces %+v)", tc.userID, got, tc.want, reg.Namespaces.UserIDs)
		}
	}

	// The returned config reflects the params.
	if cfg.Homeserver.Address != "http://127.0.0.1:1" || cfg.Homeserver.Domain != "example.test" {
		t.Errorf("homeserver = %q / %q", cfg.Homeserver.Address, cfg.Homeserver.Domain)
	}
	if cfg.AppService.Hostname != "127.0.0.1" || cfg.AppService.Port != 29999 {
		t.Errorf("appservice listen = %s:%d", cfg.AppService.Hostname, cfg.AppService.Port)
	}
	if cfg.AppService.ID != "fk" || cfg.AppService.Bot.Username != "fkbot" || cfg.AppService.UsernameTemplate != "fk_{{.}}" {
		t.Errorf("appservice id/bot/template = %q/%q/%q", cfg.AppService.ID, cfg.AppService.Bot.Username, cfg.AppService.UsernameTemplate)
	}
	if cfg.Database.Type != "sqlite3-fk-wal" || cfg.Database.URI != "file:/tmp/x.db" {
		t.Errorf("database = %q %q", cfg.Database.Type, cfg.Database.URI)
	}
	if got := cfg.Bridge.Permissions.Get(id.UserID("@alice:example.test")); got != bridgeconfig.PermissionLevelUser {
		t.Errorf("permissions of a local user = %+v, want user level", got)
	}
	if got := cfg.Bridge.Permissions.Get(id.UserID("@bob:other.test")); got != bridgeconfig.PermissionLevelRelay {
		t.Errorf("permissions of a remote user = %+v, want relay level", got)
	}

	// The tokens are persisted: loading the file again with a fresh connector gives them back,
	// and the network section reaches the connector.
	conn := fakenet.New().Connector()
	again, err := Load(path, conn)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if again.AppService.ASToken != reg.AppToken || again.AppService.HSToken != reg.ServerToken {
		t.Errorf("reloaded tokens as=%q hs=%q, want as=%q hs=%q",
			again.AppService.ASToken, again.AppService.HSToken, reg.AppToken, reg.ServerToken)
	}
	if got := conn.Config().Greeting; got != "hello from fakenet" {
		t.Errorf("connector greeting after Load = %q", got)
	}
}

func TestLoadReadsNetworkSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if _, _, err := Create(path, fakenet.New().Connector(), createParams()); err != nil {
		t.Fatal(err)
	}
	if err := Apply(path, map[string]any{"network.greeting": "changed"}); err != nil {
		t.Fatal(err)
	}
	conn := fakenet.New().Connector()
	if _, err := Load(path, conn); err != nil {
		t.Fatal(err)
	}
	if got := conn.Config().Greeting; got != "changed" {
		t.Errorf("connector greeting = %q, want the value from the file", got)
	}
}

func TestRegisterNeedsDomain(t *testing.T) {
	conn := fakenet.New().Connector()
	example, err := Example(conn)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, example)
	reg, cfg, err := Register(path, conn)
	if err == nil {
		t.Fatalf("Register on an example config succeeded: reg=%+v cfg=%v", reg, cfg != nil)
	}
	if !strings.Contains(err.Error(), "homeserver.domain") {
		t.Errorf("error %q does not name homeserver.domain", err)
	}
}

func TestRegisterRotatesTokens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	conn := fakenet.New().Connector()
	first, _, err := Create(path, conn, createParams())
	if err != nil {
		t.Fatal(err)
	}
	second, cfg, err := Register(path, conn)
	if err != nil {
		t.Fatal(err)
	}
	if second.AppToken == first.AppToken || second.ServerToken == first.ServerToken {
		t.Errorf("Register reused tokens")
	}
	if cfg.AppService.ASToken != second.AppToken || cfg.AppService.HSToken != second.ServerToken {
		t.Errorf("config holds as=%q hs=%q, want the new registration's tokens", cfg.AppService.ASToken, cfg.AppService.HSToken)
	}
}
