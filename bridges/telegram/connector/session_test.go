package connector

import "testing"

// TestSameKey: a session gotd hands over again is written only when its auth key or data
// centre changed, never for a new salt or config alone.
func TestSameKey(t *testing.T) {
	const stored = `{"Version":1,"Data":{"DC":2,"Addr":"127.0.0.1:1","AuthKey":"AAEC","AuthKeyID":"AQ==","Salt":5}}`
	tests := []struct {
		name   string
		stored string
		next   string
		want   bool
	}{
		{"new salt and config", stored, `{"Version":1,"Data":{"Config":{"Date":9},"DC":2,"Addr":"127.0.0.1:1","AuthKey":"AAEC","AuthKeyID":"AQ==","Salt":6}}`, true},
		{"new auth key", stored, `{"Version":1,"Data":{"DC":2,"Addr":"127.0.0.1:1","AuthKey":"AAED","AuthKeyID":"Ag==","Salt":5}}`, false},
		{"other data centre", stored, `{"Version":1,"Data":{"DC":4,"Addr":"127.0.0.1:1","AuthKey":"AAEC","AuthKeyID":"AQ==","Salt":5}}`, false},
		{"nothing stored yet", "", stored, false},
		{"stored without a key", `{"Version":1,"Data":{}}`, `{"Version":1,"Data":{}}`, false},
		{"unreadable", stored, `not json`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameKey([]byte(tt.stored), []byte(tt.next)); got != tt.want {
				t.Errorf("sameKey = %v, want %v", got, tt.want)
			}
		})
	}
}
