package ack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// A ghost's message can reach the homeserver's database while the homeserver dies before it
// answers. mautrix then sends it again with the same transaction ID, but Synapse remembers
// transaction IDs across a restart only for requests with a device, and appservice ghosts have
// none: the same message would be in the room twice. resendGuard sits in the appservice's
// HTTP client; when a send failed without an answer, the next attempt of that same send first
// looks in the room for an event of that sender, type, timestamp and content, and answers
// with it instead of sending again.
type resendGuard struct {
	next http.RoundTripper
	mu   sync.Mutex
	// uncertain are the sends (path with transaction ID, and the ghost) whose last attempt
	// got no answer.
	uncertain map[string]bool
}

func newResendGuard(next http.RoundTripper) *resendGuard {
	if next == nil {
		next = http.DefaultTransport
	}
	return &resendGuard{next: next, uncertain: map[string]bool{}}
}

// sendTarget returns the room and event type of a PUT /rooms/{room}/send/{type}/{txn}.
func sendTarget(req *http.Request) (room, evtType string, ok bool) {
	if req.Method != http.MethodPut {
		return "", "", false
	}
	parts := strings.Split(req.URL.EscapedPath(), "/")
	// "", "_matrix", "client", "v3", "rooms", room, "send", type, txn
	for i := 0; i+4 < len(parts); i++ {
		if parts[i] == "rooms" && parts[i+2] == "send" && i+5 == len(parts) {
			room, err1 := url.PathUnescape(parts[i+1])
			typ, err2 := url.PathUnescape(parts[i+3])
			return room, typ, err1 == nil && err2 == nil
		}
	}
	return "", "", false
}

func (g *resendGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	room, evtType, ok := sendTarget(req)
	if !ok {
		return g.next.RoundTrip(req)
	}
	key := req.URL.Path + "?" + req.URL.Query().Get("user_id")
	g.mu.Lock()
	uncertain := g.uncertain[key]
	g.mu.Unlock()
	if uncertain {
		if evtID := g.stored(req, room, evtType); evtID != "" {
			g.forget(key)
			return answer(req, evtID), nil
		}
	}
	resp, err := g.next.RoundTrip(req)
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		g.mu.Lock()
		g.uncertain[key] = true
		g.mu.Unlock()
	case err == nil:
		g.forget(key)
	}
	return resp, err
}

func (g *resendGuard) forget(key string) {
	g.mu.Lock()
	delete(g.uncertain, key)
	g.mu.Unlock()
}

// stored looks through the room's latest events, as the sender, for the event this request
// would create. It returns "" when there is none or the room cannot be read.
func (g *resendGuard) stored(req *http.Request, room, evtType string) string {
	if req.GetBody == nil {
		return ""
	}
	body, err := req.GetBody()
	if err != nil {
		return ""
	}
	raw, _ := io.ReadAll(body)
	var want map[string]any
	if json.Unmarshal(raw, &want) != nil {
		return ""
	}
	q := req.URL.Query()
	ts, _ := strconv.ParseInt(q.Get("ts"), 10, 64)
	sender := q.Get("user_id")
	u := *req.URL
	// Path holds the unescaped form; the room ID's "!" and ":" need no escaping.
	u.Path = strings.SplitAfter(req.URL.Path, "/rooms/")[0] + room + "/messages"
	u.RawPath = ""
	lq := url.Values{"dir": {"b"}, "limit": {"50"}}
	if sender != "" {
		lq.Set("user_id", sender)
	}
	u.RawQuery = lq.Encode()
	look, err := http.NewRequestWithContext(req.Context(), http.MethodGet, u.String(), nil)
	if err != nil {
		return ""
	}
	look.Header = req.Header.Clone()
	look.Header.Del("Content-Type")
	resp, err := g.next.RoundTrip(look)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	var page struct {
		Chunk []struct {
			ID      string         `json:"event_id"`
			Type    string         `json:"type"`
			Sender  string         `json:"sender"`
			TS      int64          `json:"origin_server_ts"`
			Content map[string]any `json:"content"`
		} `json:"chunk"`
	}
	if json.NewDecoder(resp.Body).Decode(&page) != nil {
		return ""
	}
	for _, e := range page.Chunk {
		if e.Type == evtType && (sender == "" || e.Sender == sender) && (ts == 0 || e.TS == ts) && reflect.DeepEqual(e.Content, want) {
			return e.ID
		}
	}
	return ""
}

// answer is the homeserver's answer to a send, for an event it already has.
func answer(req *http.Request, evtID string) *http.Response {
	body, _ := json.Marshal(map[string]string{"event_id": evtID})
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}
