package connector

import (
	"strings"
	"testing"
	"time"
)

func TestValidateSyncEvery(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"0", 0, false},
		{"6h", 6 * time.Hour, false},
		{" 90m ", 90 * time.Minute, false},
		{"10s", 0, true},
		{"daily", 0, true},
	}
	for _, tt := range tests {
		c := &Connector{Config: Config{SyncEvery: tt.in}}
		got, err := c.Config.syncInterval()
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("sync_every %q: %v, %s; want error %v, %s", tt.in, err, got, tt.wantErr, tt.want)
		}
		if verr := c.ValidateConfig(); (verr != nil) != tt.wantErr {
			t.Errorf("ValidateConfig with sync_every %q: %v, want error %v", tt.in, verr, tt.wantErr)
		}
	}
}

func TestValidateConfig(t *testing.T) {
	ok := BridgeConfig{Network: "telegram", URL: "http://127.0.0.1:29317", SharedSecret: "s"}
	tests := []struct {
		name    string
		bridges []BridgeConfig
		wantErr string
	}{
		{"none", nil, ""},
		{"one", []BridgeConfig{ok}, ""},
		{"two", []BridgeConfig{ok, {Network: "whatsapp", URL: "https://wa.example:29318"}}, ""},
		{"no name", []BridgeConfig{{URL: ok.URL}}, "without spaces"},
		{"space in name", []BridgeConfig{{Network: "tele gram", URL: ok.URL}}, "without spaces"},
		{"twice", []BridgeConfig{ok, {Network: "Telegram", URL: ok.URL}}, "listed twice"},
		{"no url", []BridgeConfig{{Network: "telegram"}}, "url is empty"},
		{"not http", []BridgeConfig{{Network: "telegram", URL: "ftp://x"}}, "not an http(s) address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Connector{Config: Config{Bridges: tt.bridges}}
			err := c.ValidateConfig()
			if tt.wantErr == "" && err != nil {
				t.Fatalf("ValidateConfig: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("ValidateConfig: %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
