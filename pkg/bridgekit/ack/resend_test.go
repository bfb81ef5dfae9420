package ack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// flakyHomeserver stores every send, and dies (closes the connection without answering) on
// the first one, as a homeserver does that stops between storing an event and answering.
type flakyHomeserver struct {
	mu     sync.Mutex
	events []map[string]any
	sends  int
}

func (h *flakyHomeserver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !strings.HasPrefix(r.URL.Path, "/_matrix/client/v3/rooms/!r:x/") {
		http.Error(w, "no such room: "+r.URL.Path, http.StatusForbidden)
		return
	}
	switch {
	case r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/send/"):
		h.sends++
		var content map[string]any
		_ = json.NewDecoder(r.Body).Decode(&content)
		id := "$e" + string(rune('0'+len(h.events)))
		h.events = append(h.events, map[string]any{
			"event_id": id, "type": "m.room.message", "sender": r.URL.Query().Get("user_id"),
			"origin_server_ts": 1700000000123, "content": content,
		})
		if h.sends == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"event_id": id})
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/messages"):
		chunk := make([]map[string]any, 0, len(h.events))
		for i := len(h.events) - 1; i >= 0; i-- {
			chunk = append(chunk, h.events[i])
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"chunk": chunk})
	default:
		http.NotFound(w, r)
	}
}

func TestResendOfAStoredSendIsAnsweredFromTheRoom(t *testing.T) {
	tests := []struct {
		name   string
		guard  bool
		stored int // events in the room after the retry
	}{
		{"without the guard the retry stores the message again", false, 2},
		{"with the guard the retry finds it", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := &flakyHomeserver{}
			srv := httptest.NewServer(hs)
			defer srv.Close()
			var rt http.RoundTripper = http.DefaultTransport
			if tt.guard {
				rt = newResendGuard(nil)
			}
			client := &http.Client{Transport: rt}
			url := srv.URL + "/_matrix/client/v3/rooms/%21r:x/send/m.room.message/txn1?ts=1700000000123&user_id=%40ghost%3Ax"
			body := `{"msgtype":"m.text","body":"hello"}`
			send := func() (*http.Response, error) {
				req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
				return client.Do(req)
			}
			if _, err := send(); err == nil {
				t.Fatal("the first send got an answer; the homeserver should have died")
			}
			resp, err := send() // mautrix's retry: same URL, same transaction ID
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(data), `"event_id":"$e0"`) && tt.guard {
				t.Errorf("retry answered %s, want the stored event $e0", data)
			}
			if len(hs.events) != tt.stored {
				t.Errorf("%d events in the room, want %d", len(hs.events), tt.stored)
			}
		})
	}
}

func TestSendTarget(t *testing.T) {
	tests := []struct {
		method, path string
		room, typ    string
		ok           bool
	}{
		{http.MethodPut, "/_matrix/client/v3/rooms/%21a:b/send/m.room.message/t1", "!a:b", "m.room.message", true},
		{http.MethodPut, "/_matrix/client/v3/rooms/%21a:b/state/m.room.name/", "", "", false},
		{http.MethodGet, "/_matrix/client/v3/rooms/%21a:b/send/m.room.message/t1", "", "", false},
		{http.MethodPut, "/_matrix/client/v3/rooms/%21a:b/send/m.room.message", "", "", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.path, nil)
		room, typ, ok := sendTarget(req)
		if room != tt.room || typ != tt.typ || ok != tt.ok {
			t.Errorf("%s %s = %q %q %v, want %q %q %v", tt.method, tt.path, room, typ, ok, tt.room, tt.typ, tt.ok)
		}
	}
}
