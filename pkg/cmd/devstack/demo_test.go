package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script standing in for a demo network binary.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStartDemo(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		wantErr    string // "" for a demo that comes up
	}{
		{"comes up", `printf '{"bridge":"telegram","phone":"+15550100000","code":"24680","config":{"network.api_id":12345}}' > "$2.tmp" && mv "$2.tmp" "$2"
exec sleep 60`, ""},
		{"exits", `exit 3`, "exited during start"},
		{"writes garbage", `echo '{not json' > "$2"; exec sleep 60`, "parse"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := startDemo(context.Background(), script(t, tt.body), t.TempDir(), 5*time.Second)
			if d != nil {
				defer func() {
					if err := d.stop(5 * time.Second); err != nil {
						t.Errorf("stop: %v", err)
					}
				}()
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("startDemo error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Info.Bridge != "telegram" || d.Info.Phone != "+15550100000" || d.Info.Code != "24680" || d.Info.Config["network.api_id"] != 12345.0 {
				t.Errorf("info = %+v", d.Info)
			}
		})
	}
}

func TestDemoSummary(t *testing.T) {
	var out strings.Builder
	st := &stack{demo: &demoNet{LogPath: "/tmp/x/demo.log", Info: demoInfo{Bridge: "telegram", Phone: "+15550100000", Code: "24680",
		Account: "Demo User", Contacts: []string{"Ada Lovelace"}, Group: "Demo Group", Channel: "Demo News"}}}
	st.demoSummary(&out)
	for _, want := range []string{"no telegram bridge does"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary without the bridge lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "login phone") {
		t.Errorf("summary tells how to log in to a bridge that does not run:\n%s", out.String())
	}
}
