package connector

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/gotd/td/telegram"
)

func testKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
}

func TestServersOptions(t *testing.T) {
	key := testKeyPEM(t)
	tests := []struct {
		name    string
		servers Servers
		wantErr string
		custom  bool
	}{
		{"telegram's own servers", Servers{}, "", false},
		{"private cluster", Servers{DCs: []DC{{ID: 2, Host: "127.0.0.1", Port: 4430}}, PublicKeys: []string{key}}, "", true},
		{"dc without port", Servers{DCs: []DC{{ID: 2, Host: "127.0.0.1"}}, PublicKeys: []string{key}}, "invalid data centre", false},
		{"dc without id", Servers{DCs: []DC{{Host: "h", Port: 1}}, PublicKeys: []string{key}}, "invalid data centre", false},
		{"garbage key", Servers{DCs: []DC{{ID: 1, Host: "h", Port: 1}}, PublicKeys: []string{"not a key"}}, "public_keys[0]", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.servers.options()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("options() error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var opts telegram.Options
			got.apply(&opts)
			if tt.custom {
				if len(opts.DCList.Options) != 1 || opts.DCList.Options[0].Port != 4430 || len(opts.PublicKeys) != 1 || opts.DC != 2 || opts.Resolver == nil {
					t.Errorf("applied options = %+v", opts)
				}
			} else if len(opts.DCList.Options) != 0 || opts.PublicKeys != nil {
				t.Errorf("default servers changed the options: %+v", opts)
			}
		})
	}
}

func TestValidateConfig(t *testing.T) {
	tests := []struct {
		cfg     Config
		wantErr string
	}{
		{Config{}, ""},
		{Config{APIID: 1, APIHash: "h"}, ""},
		{Config{APIID: 1, APIHash: "h", Servers: Servers{DCs: []DC{{ID: 1, Host: "h", Port: 1}}}}, "public_keys is empty"},
	}
	for _, tt := range tests {
		err := (&Connector{Config: tt.cfg}).ValidateConfig()
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ValidateConfig(%+v) = %v, want %q", tt.cfg, err, tt.wantErr)
		}
	}
}
