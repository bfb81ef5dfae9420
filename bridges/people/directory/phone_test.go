package directory

import (
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"+4915112345678", "+4915112345678"},
		{"tel:+4915112345678", "+4915112345678"},
		{"  +49 151 1234-5678 ", "+4915112345678"},
		{"+1 (555) 123.4567", "+15551234567"},
		{"004915112345678", "+4915112345678"},
		{"+49/151/12345678", "+4915112345678"},
		{"015112345678", ""},      // national: no country
		{"+0151123456", ""},       // a country code never starts with 0
		{"+123456", ""},           // too short
		{"+1234567890123456", ""}, // 16 digits: too long for E.164
		{"+123456789012345", "+123456789012345"},
		{"+49 151 ABC", ""},
		{"telegram:bob", ""},
		{"", ""},
		{"+", ""},
		{"tel:", ""},
	}
	for _, tt := range tests {
		if got := NormalizePhone(tt.in); got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzNormalizePhone checks that whatever comes in, a result is E.164 and normalising it
// again changes nothing.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"+4915112345678", "tel:+1 555 123 4567", "0049 (151) 1234", "+0", "abc", "+١٢٣٤٥٦٧٨"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizePhone(s)
		if got == "" {
			return
		}
		if !strings.HasPrefix(got, "+") || len(got) < minDigits+1 || len(got) > maxDigits+1 || got[1] == '0' {
			t.Fatalf("NormalizePhone(%q) = %q: not E.164", s, got)
		}
		for _, r := range got[1:] {
			if r < '0' || r > '9' {
				t.Fatalf("NormalizePhone(%q) = %q: not only digits", s, got)
			}
		}
		if again := NormalizePhone(got); again != got {
			t.Fatalf("NormalizePhone(%q) = %q, but NormalizePhone(%q) = %q", s, got, got, again)
		}
	})
}
