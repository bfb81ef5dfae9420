//go:build integration

package bridgetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// rawEvent is one event of a hand-made transaction; fields are raw JSON so that they can have
// any type.
func rawEvent(room id.RoomID, sender id.UserID, eventID, typ, content string) string {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return fmt.Sprintf(`{"type":%s,"room_id":%s,"sender":%s,"event_id":%s,"origin_server_ts":%d,"content":%s}`,
		typ, q(room.String()), q(sender.String()), q(eventID), time.Now().UnixMilli(), content)
}

// TestMalformedEventsFromHomeserver: transactions with malformed events, huge bodies, broken
// JSON, unknown event types and unknown rooms get a sensible status, and afterwards the bridge
// still answers commands and still bridges a normal message to the network.
func TestMalformedEventsFromHomeserver(t *testing.T) {
	b, net := permBridge, permNet
	u := stack.User(t, badUser)
	mgmt := managementRoom(t, u, b)
	account := "bad-" + string(u.UserID.Localpart())
	loginFake(t, u, b, net, mgmt, account)
	c := u.Cursor()
	if _, err := net.Deliver(context.Background(), account, "dave", "hi from dave"); err != nil {
		t.Fatal(err)
	}
	portal := u.WaitInvite(t, c, "an invite to dave's portal", nil)
	u.Join(t, portal)
	u.WaitFor(t, portal, c, "dave's message", matrixtest.MessageFrom(b.GhostMXID("dave"), "hi from dave"))

	msg := `"m.room.message"`
	huge := strings.Repeat("ü", 512*1024) // 1 MiB of UTF-8
	ev := func(n int, room id.RoomID, typ, content string) string {
		return rawEvent(room, u.UserID, fmt.Sprintf("$bad-%s-%d", u.UserID.Localpart(), n), typ, content)
	}
	txn := func(events ...string) []byte { return []byte(`{"events":[` + strings.Join(events, ",") + `]}`) }
	tests := []struct {
		name    string
		body    []byte
		status  int
		errcode string
	}{
		{"body is a number", txn(ev(1, portal, msg, `{"msgtype":"m.text","body":12345}`)), http.StatusOK, ""},
		{"content is a string", txn(ev(2, portal, msg, `"just a string"`)), http.StatusBadRequest, "M_BAD_JSON"},
		{"content is null", txn(ev(3, portal, msg, `null`)), http.StatusOK, ""},
		{"relates_to is an array", txn(ev(4, portal, msg, `{"msgtype":"m.text","body":"rel","m.relates_to":[1,2]}`)), http.StatusOK, ""},
		{"msgtype is an object", txn(ev(5, portal, msg, `{"msgtype":{"a":1},"body":"x"}`)), http.StatusOK, ""},
		{"command body is a number", txn(ev(6, mgmt, msg, `{"msgtype":"m.text","body":7}`)), http.StatusOK, ""},
		{"huge body", txn(ev(7, portal, msg, `{"msgtype":"m.text","body":"`+huge+`"}`)), http.StatusOK, ""},
		{"unknown event type", txn(ev(8, portal, `"org.example.unknown"`, `{"body":"unknown"}`)), http.StatusOK, ""},
		{"unknown room", txn(ev(9, "!nowhere:localhost", msg, `{"msgtype":"m.text","body":"lost"}`)), http.StatusOK, ""},
		{"state event with bad content", txn(strings.Replace(ev(10, portal, `"m.room.member"`, `{"membership":42}`), `"type"`, `"state_key":"@x:localhost","type"`, 1)), http.StatusOK, ""},
		{"many events", txn(ev(11, portal, `"org.example.a"`, `{}`), ev(12, portal, `"org.example.b"`, `{}`), ev(13, "!nowhere:localhost", msg, `{}`)), http.StatusOK, ""},
		{"event type is a number", txn(ev(14, portal, `5`, `{}`)), http.StatusBadRequest, "M_BAD_JSON"},
		{"events is an object", []byte(`{"events":{"a":1}}`), http.StatusBadRequest, "M_BAD_JSON"},
		{"top level is an array", []byte(`[]`), http.StatusBadRequest, "M_BAD_JSON"},
		{"broken JSON", []byte(`{"events":[{"type":`), http.StatusBadRequest, "M_BAD_JSON"},
		{"not JSON at all", []byte("\x00\xffhello"), http.StatusBadRequest, "M_BAD_JSON"},
		{"empty body", []byte{}, http.StatusBadRequest, "M_NOT_JSON"},
	}
	for i, tt := range tests {
		target := fmt.Sprintf("%s/_matrix/app/v1/transactions/bad-%s-%d", b.AppserviceURL(), u.UserID.Localpart(), i)
		res := call(t, http.MethodPut, target, bearer(b.Registration.ServerToken), tt.body)
		if res.Status != tt.status || res.ErrCode != tt.errcode {
			t.Errorf("%s: got %d %s %q, want %d %s", tt.name, res.Status, res.ErrCode, res.Error, tt.status, tt.errcode)
		}
	}

	// Malformed content through the real homeserver, as any client could send it. Synapse
	// refuses a body or msgtype that is not a string itself.
	long := strings.Repeat("y", 60*1024)
	for i, tt := range []struct {
		content  map[string]any
		accepted bool
	}{
		{map[string]any{"msgtype": "m.text", "body": "rel", "m.relates_to": []int{1, 2}}, true},
		{map[string]any{"msgtype": map[string]any{"nested": true}, "body": "obj"}, false},
		{map[string]any{"msgtype": "m.text", "body": 12345}, false},
		{map[string]any{"msgtype": "m.text", "body": long}, true},
	} {
		_, err := u.Client.SendMessageEvent(context.Background(), portal, event.EventMessage, tt.content)
		if (err == nil) != tt.accepted {
			t.Errorf("Synapse accepted malformed content #%d: %v, want %v (error %v)", i, err == nil, tt.accepted, err)
		}
	}

	// The bridge still answers and still bridges, in order, everything it could parse: the
	// text of events whose other fields are malformed, the huge bodies, and the normal message.
	// mautrix hands on an event whose content failed to parse with what it did parse, so the
	// number body arrives as an empty text (reported, not ours to change).
	command(t, u, b, mgmt, "help", "Authentication")
	const normal = "a normal message after the bad ones"
	u.SendText(t, portal, normal)
	want := []string{"", "rel", huge, "rel", long, normal}
	var got []string
	for len(got) < len(want) {
		sent, err := net.WaitSent(matrixtest.DefaultTimeout)
		if err != nil {
			t.Fatalf("%v; the network got %s, want %s; bridge log tail:\n%s", err, short(got), short(want), b.LogTail(20))
		}
		if sent.Login != account || sent.Chat != "dave" {
			t.Errorf("a message reached %s/%s, want %s/dave", sent.Login, sent.Chat, account)
		}
		got = append(got, sent.Text)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the network got %s, want %s", short(got), short(want))
	}
	if sent, err := net.WaitSent(time.Second); err == nil {
		t.Errorf("the network got more than expected: %.40q", sent.Text)
	}
}

// short describes texts by their start and length.
func short(texts []string) string {
	var parts []string
	for _, s := range texts {
		parts = append(parts, fmt.Sprintf("%.20q(%d)", s, len(s)))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
