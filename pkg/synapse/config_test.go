package synapse

import (
	"encoding/base64"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestHomeserverConfig(t *testing.T) {
	raw, err := homeserverConfig("localhost", 41234, "/var/lib/mxbridges/x", "s3cret", []string{"/var/lib/mxbridges/x/registration-a.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err = yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("generated config is not YAML: %v", err)
	}
	tests := []struct {
		key  string
		want any
	}{
		{"server_name", "localhost"},
		{"registration_shared_secret", "s3cret"},
		{"signing_key_path", "/var/lib/mxbridges/x/signing.key"},
		{"media_store_path", "/var/lib/mxbridges/x/media"},
		{"report_stats", false},
		{"enable_registration", true},
	}
	for _, tt := range tests {
		if got := cfg[tt.key]; got != tt.want {
			t.Errorf("%s = %#v, want %#v", tt.key, got, tt.want)
		}
	}
	listener := cfg["listeners"].([]any)[0].(map[string]any)
	if listener["port"] != 41234 {
		t.Errorf("listener port = %v, want 41234", listener["port"])
	}
	if binds := listener["bind_addresses"].([]any); len(binds) != 1 || binds[0] != "127.0.0.1" {
		t.Errorf("listener binds %v, want only 127.0.0.1", binds)
	}
	regs := cfg["app_service_config_files"].([]any)
	if len(regs) != 1 || regs[0] != "/var/lib/mxbridges/x/registration-a.yaml" {
		t.Errorf("app_service_config_files = %v", regs)
	}
	if db := cfg["database"].(map[string]any)["args"].(map[string]any)["database"]; db != "/var/lib/mxbridges/x/homeserver.db" {
		t.Errorf("database path = %v", db)
	}
	if cfg["macaroon_secret_key"] == cfg["form_secret"] {
		t.Error("macaroon_secret_key and form_secret must be independent random values")
	}
}

func TestSigningKeyFormat(t *testing.T) {
	key, err := signingKey()
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(key))
	if len(fields) != 3 || fields[0] != "ed25519" || fields[1] != "a_mxb" {
		t.Fatalf("signing key %q is not 'ed25519 <id> <seed>'", key)
	}
	seed, err := base64.RawStdEncoding.DecodeString(fields[2])
	if err != nil || len(seed) != 32 {
		t.Fatalf("seed is not 32 bytes of unpadded base64: len=%d err=%v", len(seed), err)
	}
}

func TestRegistrationMAC(t *testing.T) {
	// Vector computed independently: printf 'abc\0alice\0pw\0notadmin' | openssl dgst -sha1 -hmac secret
	got := registrationMAC("secret", "abc", "alice", "pw", false)
	if want := "42e32623fe124933c326f9d2d67ff7c617915a10"; got != want {
		t.Errorf("registrationMAC = %s, want %s", got, want)
	}
	if registrationMAC("secret", "abc", "alice", "pw", true) == got {
		t.Error("admin and non-admin MACs must differ")
	}
}

func TestSafeName(t *testing.T) {
	tests := map[string]string{"proof": "proof", "a/b c": "a_b_c", "Tg-1_x": "Tg-1_x", "../x": "___x"}
	for in, want := range tests {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}
