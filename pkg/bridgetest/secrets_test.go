package bridgetest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestScanLogs(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	b := filepath.Join(dir, "b.log")
	long := strings.Repeat("x", 200000) + "secret-token-1"
	if err := os.WriteFile(a, []byte("ok\nhas secret-token-1 here\nshort pw1\n"+long), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("nothing\nstill nothing\npassword-2 at the end"), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets := []Secret{
		{"token", "secret-token-1"},
		{"same token again", "secret-token-1"},
		{"short", "pw1"},
		{"password", "password-2"},
		{"unused", "never-written"},
	}
	leaks, err := ScanLogs([]string{a, b}, secrets)
	if err != nil {
		t.Fatal(err)
	}
	want := []Leak{
		{a, 2, "token (se…[14 chars])"},
		{a, 4, "token (se…[14 chars])"},
		{b, 3, "password (pa…[10 chars])"},
	}
	if !reflect.DeepEqual(leaks, want) {
		t.Errorf("leaks = %v, want %v", leaks, want)
	}
	for _, l := range leaks {
		if strings.Contains(l.String(), "secret-token-1") || strings.Contains(l.String(), "password-2") {
			t.Errorf("leak report %q shows the secret", l)
		}
	}
	if _, err = ScanLogs([]string{filepath.Join(dir, "missing.log")}, secrets); err == nil {
		t.Error("scanning a missing file succeeded")
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "[0 chars]"},
		{"abcd", "[4 chars]"},
		{"abcde", "ab…[5 chars]"},
		{"pw-someone-1", "pw…[12 chars]"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	data := `{"level":"debug","msg":"a"}` + "\n" + `{"level":"info"}` + "\n" + `{"level":"debug"}`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := CountLines(path, `"level":"debug"`); err != nil || n != 2 {
		t.Errorf("CountLines = %d, %v; want 2", n, err)
	}
	if _, err := CountLines(path+".missing", "x"); err == nil {
		t.Error("CountLines of a missing file succeeded")
	}
}
