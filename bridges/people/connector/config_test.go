package connector

import (
	"strings"
	"testing"
)

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
