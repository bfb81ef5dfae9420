package synapse

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"gopkg.in/yaml.v3"
)

// generous is a rate limit no test or dev session reaches: bridges send in bursts, and a
// limited homeserver would turn every burst into flaky 429s.
var generous = map[string]any{"per_second": 100000, "burst_count": 100000}

// homeserverConfig renders homeserver.yaml. Paths are as seen from inside the chroot.
func homeserverConfig(serverName string, port int, dir string, sharedSecret string, registrations []string) ([]byte, error) {
	cfg := map[string]any{
		"server_name":    serverName,
		"public_baseurl": fmt.Sprintf("http://127.0.0.1:%d/", port),
		"pid_file":       dir + "/homeserver.pid",
		"listeners": []any{map[string]any{
			"port":           port,
			"bind_addresses": []string{"127.0.0.1"},
			"type":           "http",
			"tls":            false,
			"x_forwarded":    false,
			"resources":      []any{map[string]any{"names": []string{"client", "federation"}, "compress": false}},
		}},
		"database": map[string]any{
			"name": "sqlite3",
			"args": map[string]any{"database": dir + "/homeserver.db"},
		},
		"media_store_path":                         dir + "/media",
		"signing_key_path":                         dir + "/signing.key",
		"registration_shared_secret":               sharedSecret,
		"macaroon_secret_key":                      randomToken(),
		"form_secret":                              randomToken(),
		"enable_registration":                      true,
		"enable_registration_without_verification": true,
		"report_stats":                             false,
		"trusted_key_servers":                      []any{},
		"suppress_key_server_warning":              true,
		"url_preview_enabled":                      false,
		"max_upload_size":                          "100M",
		"presence":                                 map[string]any{"enabled": true},
		"app_service_config_files":                 registrations,
		"rc_message":                               generous,
		"rc_registration":                          generous,
		"rc_admin_redaction":                       generous,
		"rc_3pid_validation":                       generous,
		"rc_joins_per_room":                        generous,
		"rc_media_create":                          generous,
		"rc_room_creation":                         generous,
		"rc_reports":                               generous,
		"rc_delayed_event_mgmt":                    generous,
		"rc_presence":                              map[string]any{"per_user": generous},
		"rc_login":                                 map[string]any{"address": generous, "account": generous, "failed_attempts": generous},
		"rc_joins":                                 map[string]any{"local": generous, "remote": generous},
		"rc_invites":                               map[string]any{"per_room": generous, "per_user": generous, "per_issuer": generous},
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("marshal homeserver.yaml: %w", err)
	}
	return out, nil
}

// signingKey renders a Synapse signing key file ("ed25519 <key id> <unpadded base64 seed>"), so
// that no separate --generate-keys run is needed before the first start.
func signingKey() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	seed := base64.RawStdEncoding.EncodeToString(priv.Seed())
	return []byte("ed25519 a_mxb " + seed + "\n"), nil
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand never fails on Linux; keep going with what we have rather than panic.
		return "insecure-fallback-token"
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
