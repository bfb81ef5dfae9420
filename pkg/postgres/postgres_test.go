package postgres

import "testing"

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"proof", "proof"},
		{"WhatsApp-Bridge", "whatsapp_bridge"},
		{"a; DROP TABLE x", "a__drop_table_x"},
		{"0123456789012345678901234567890123456789", "012345678901234567890123456789"},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAdminURLFromEnv(t *testing.T) {
	t.Setenv("MXB_POSTGRES_URL", "")
	if got := AdminURL(); got != DefaultURL {
		t.Errorf("AdminURL() = %q with no env, want %q", got, DefaultURL)
	}
	t.Setenv("MXB_POSTGRES_URL", "postgres://u:p@127.0.0.1:6543/x")
	if got := AdminURL(); got != "postgres://u:p@127.0.0.1:6543/x" {
		t.Errorf("AdminURL() = %q, want the env value", got)
	}
}
