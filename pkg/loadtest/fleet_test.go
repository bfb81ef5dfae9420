package loadtest

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseVmRSS(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"Name:\tbridge\nVmRSS:\t  248000 kB\nThreads:\t12\n", 248000 * 1024, false},
		{"Name:\tbridge\n", 0, true},
		{"VmRSS:\tlots kB\n", 0, true},
	} {
		got, err := parseVmRSS(strings.NewReader(tc.in), 1)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("parseVmRSS(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
	if own, err := VmRSS(os.Getpid()); err != nil || own <= 0 {
		t.Errorf("VmRSS of this test: %d, %v", own, err)
	}
}

func TestStateWatchCountsConnectedLogins(t *testing.T) {
	w, err := NewStateWatch()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	post := func(remote, state string) {
		t.Helper()
		body := `{"state_event":"` + state + `","remote_id":"` + remote + `","timestamp":1}`
		resp, err := http.Post(w.URL(), "application/json", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("posting a state: %s", resp.Status)
		}
	}
	post("a", "CONNECTING")
	post("a", "CONNECTED")
	post("b", "CONNECTING")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := w.WaitConnected(ctx, 2); err == nil {
		t.Fatal("two logins reported connected while one was still connecting")
	}
	post("b", "CONNECTED")
	if at, err := w.WaitConnected(context.Background(), 2); err != nil || at.IsZero() {
		t.Fatalf("WaitConnected: %v, %v", at, err)
	}
	w.Reset()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	if _, err := w.WaitConnected(ctx2, 1); err == nil {
		t.Error("Reset kept the old states")
	}
}
