package loadtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitConnected(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" || r.URL.Query().Get("user_id") != "@u:x" {
			http.Error(w, `{"errcode":"M_FORBIDDEN"}`, http.StatusForbidden)
			return
		}
		state := "CONNECTING"
		if calls.Add(1) >= 3 {
			state = "CONNECTED"
		}
		_, _ = w.Write([]byte(`{"logins":[{"state":{"state_event":"` + state + `"}}]}`))
	}))
	defer srv.Close()
	if err := WaitConnected(context.Background(), srv.URL, "s3cret", "@u:x"); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n < 3 {
		t.Errorf("returned after %d calls, before the login reported CONNECTED", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := WaitConnected(ctx, srv.URL, "wrong", "@u:x")
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Errorf("a refused secret gave %v, want an error", err)
	}
}
