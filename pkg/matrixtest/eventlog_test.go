package matrixtest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

const (
	roomDM     id.RoomID = "!dm:example.test"
	roomOther  id.RoomID = "!other:example.test"
	roomInvite id.RoomID = "!inv:example.test"
	roomLeft   id.RoomID = "!left:example.test"

	alice id.UserID = "@alice:example.test"
	bob   id.UserID = "@bob:example.test"
	ghost id.UserID = "@fk_carol:example.test"
)

// parseSync decodes a /sync response body as the client library does.
func parseSync(t testing.TB, body string) *mautrix.RespSync {
	t.Helper()
	var resp mautrix.RespSync
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatalf("bad sync JSON: %v\n%s", err, body)
	}
	return &resp
}

// parseEvent decodes one client-format event and parses its content.
func parseEvent(t testing.TB, body string) *event.Event {
	t.Helper()
	var evt event.Event
	if err := json.Unmarshal([]byte(body), &evt); err != nil {
		t.Fatalf("bad event JSON: %v\n%s", err, body)
	}
	_ = evt.Content.ParseRaw(evt.Type)
	return &evt
}

// joinSync is a first sync of alice in a DM: state, two messages and a typing notification.
const joinSync = `{
  "next_batch": "s1",
  "rooms": {"join": {"!dm:example.test": {
    "state": {"events": [
      {"type": "m.room.create", "state_key": "", "sender": "@alice:example.test", "event_id": "$create", "origin_server_ts": 1, "content": {"room_version": "10"}},
      {"type": "m.room.member", "state_key": "@alice:example.test", "sender": "@alice:example.test", "event_id": "$join", "origin_server_ts": 2, "content": {"membership": "join"}}
    ]},
    "timeline": {"events": [
      {"type": "m.room.message", "sender": "@fk_carol:example.test", "event_id": "$m1", "origin_server_ts": 3, "content": {"msgtype": "m.text", "body": "hello alice"}},
      {"type": "m.room.message", "sender": "@alice:example.test", "event_id": "$m2", "origin_server_ts": 4, "content": {"msgtype": "m.notice", "body": "hi carol"}}
    ]},
    "ephemeral": {"events": [
      {"type": "m.typing", "content": {"user_ids": ["@fk_carol:example.test"]}}
    ]}
  }}}
}`

type wantSeen struct {
	room    id.RoomID
	section Section
	id      id.EventID
	typ     string
}

func checkSeen(t *testing.T, got []Seen, want []wantSeen) {
	t.Helper()
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("  seen %s", Describe(s))
		}
		t.Fatalf("saw %d events, want %d", len(got), len(want))
	}
	for i, w := range want {
		s := got[i]
		if s.Room != w.room || s.Section != w.section || s.Event.ID != w.id || s.Event.Type.Type != w.typ {
			t.Errorf("#%d = %s %s %s %s, want %s %s %s %s", i,
				s.Room, s.Section, s.Event.ID, s.Event.Type.Type, w.room, w.section, w.id, w.typ)
		}
		if s.Event.RoomID != s.Room {
			t.Errorf("#%d event.RoomID = %q, want %q", i, s.Event.RoomID, s.Room)
		}
	}
}

func TestRecord(t *testing.T) {
	tests := []struct {
		name  string
		syncs []string
		want  []wantSeen
	}{
		{
			name:  "join: state, then timeline, then ephemeral",
			syncs: []string{joinSync},
			want: []wantSeen{
				{roomDM, SectionState, "$create", "m.room.create"},
				{roomDM, SectionState, "$join", "m.room.member"},
				{roomDM, SectionTimeline, "$m1", "m.room.message"},
				{roomDM, SectionTimeline, "$m2", "m.room.message"},
				{roomDM, SectionEphemeral, "", "m.typing"},
			},
		},
		{
			name:  "same events again are deduplicated by ID, ID-less events are not",
			syncs: []string{joinSync, strings.Replace(joinSync, `"s1"`, `"s2"`, 1)},
			want: []wantSeen{
				{roomDM, SectionState, "$create", "m.room.create"},
				{roomDM, SectionState, "$join", "m.room.member"},
				{roomDM, SectionTimeline, "$m1", "m.room.message"},
				{roomDM, SectionTimeline, "$m2", "m.room.message"},
				{roomDM, SectionEphemeral, "", "m.typing"},
				{roomDM, SectionEphemeral, "", "m.typing"},
			},
		},
		{
			name: "an event seen in state is not repeated from the timeline",
			syncs: []string{
				`{"rooms": {"join": {"!dm:example.test": {"state": {"events": [
					{"type": "m.room.member", "state_key": "@bob:example.test", "sender": "@bob:example.test", "event_id": "$b", "content": {"membership": "join"}}
				]}}}}}`,
				`{"rooms": {"join": {"!dm:example.test": {"timeline": {"events": [
					{"type": "m.room.member", "state_key": "@bob:example.test", "sender": "@bob:example.test", "event_id": "$b", "content": {"membership": "join"}},
					{"type": "m.room.message", "sender": "@bob:example.test", "event_id": "$after", "content": {"msgtype": "m.text", "body": "x"}}
				]}}}}}`,
			},
			want: []wantSeen{
				{roomDM, SectionState, "$b", "m.room.member"},
				{roomDM, SectionTimeline, "$after", "m.room.message"},
			},
		},
		{
			name: "invite state comes before joined rooms, leave after",
			syncs: []string{`{"rooms": {
				"leave": {"!left:example.test": {
					"state": {"events": [{"type": "m.room.name", "state_key": "", "sender": "@bob:example.test", "event_id": "$name", "content": {"name": "Old"}}]},
					"timeline": {"events": [{"type": "m.room.member", "state_key": "@alice:example.test", "sender": "@bob:example.test", "event_id": "$kick", "content": {"membership": "leave", "reason": "bye"}}]}
				}},
				"join": {"!other:example.test": {"timeline": {"events": [
					{"type": "m.room.message", "sender": "@bob:example.test", "event_id": "$o1", "content": {"msgtype": "m.text", "body": "other"}}
				]}}},
				"invite": {"!inv:example.test": {"invite_state": {"events": [
					{"type": "m.room.name", "state_key": "", "sender": "@bob:example.test", "content": {"name": "Party"}},
					{"type": "m.room.member", "state_key": "@alice:example.test", "sender": "@bob:example.test", "event_id": "$inv", "content": {"membership": "invite"}}
				]}}}
			}}`},
			want: []wantSeen{
				{roomInvite, SectionInvite, "", "m.room.name"},
				{roomInvite, SectionInvite, "$inv", "m.room.member"},
				{roomOther, SectionTimeline, "$o1", "m.room.message"},
				{roomLeft, SectionLeave, "$name", "m.room.name"},
				{roomLeft, SectionLeave, "$kick", "m.room.member"},
			},
		},
		{
			name:  "empty sync records nothing",
			syncs: []string{`{"next_batch": "s9"}`},
			want:  []wantSeen{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newEventLog()
			for _, body := range tt.syncs {
				l.record(parseSync(t, body))
			}
			got, end, _ := l.snapshot(0)
			checkSeen(t, got, tt.want)
			if int(end) != len(tt.want) {
				t.Errorf("end cursor = %d, want %d", end, len(tt.want))
			}
		})
	}
}

func TestRecordParsesContent(t *testing.T) {
	l := newEventLog()
	l.record(parseSync(t, joinSync))
	l.record(parseSync(t, `{"rooms": {"join": {"!dm:example.test": {"timeline": {"events": [
		{"type": "fi.mxb.custom", "sender": "@bob:example.test", "event_id": "$c", "content": {"answer": 42}},
		{"type": "m.reaction", "sender": "@bob:example.test", "event_id": "$r", "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$m1", "key": "👍"}}}
	]}}}}}`))
	seen, _, _ := l.snapshot(0)
	byID := map[id.EventID]*event.Event{}
	for _, s := range seen {
		byID[s.Event.ID] = s.Event
	}
	if got := byID["$m1"].Content.AsMessage(); got.Body != "hello alice" || got.MsgType != event.MsgText {
		t.Errorf("$m1 content = %+v", got)
	}
	if got := byID["$m2"].Content.AsMessage(); got.Body != "hi carol" || got.MsgType != event.MsgNotice {
		t.Errorf("$m2 content = %+v", got)
	}
	if got := byID["$join"].Content.AsMember().Membership; got != event.MembershipJoin {
		t.Errorf("$join membership = %q", got)
	}
	if got := byID["$r"].Content.AsReaction().RelatesTo; got.Key != "👍" || got.EventID != "$m1" {
		t.Errorf("$r relation = %+v", got)
	}
	custom := byID["$c"]
	if custom == nil {
		t.Fatal("custom event not recorded")
	}
	if got, _ := custom.Content.Raw["answer"].(float64); got != 42 {
		t.Errorf("custom event raw content = %v", custom.Content.Raw)
	}
}

func TestRecordKeepsParsedContent(t *testing.T) {
	// Events built in code already carry parsed content; record must not lose it.
	l := newEventLog()
	resp := &mautrix.RespSync{}
	resp.Rooms.Join = map[id.RoomID]*mautrix.SyncJoinedRoom{roomDM: {}}
	resp.Rooms.Join[roomDM].Timeline.Events = []*event.Event{{
		Type:    event.EventMessage,
		Sender:  bob,
		ID:      "$built",
		Content: event.Content{Parsed: &event.MessageEventContent{MsgType: event.MsgText, Body: "built"}},
	}}
	l.record(resp)
	seen, _, _ := l.snapshot(0)
	if len(seen) != 1 {
		t.Fatalf("saw %d events", len(seen))
	}
	if got := seen[0].Event.Content.AsMessage().Body; got != "built" {
		t.Errorf("body = %q", got)
	}
	if seen[0].Event.RoomID != roomDM {
		t.Errorf("room = %q", seen[0].Event.RoomID)
	}
}

func TestSnapshot(t *testing.T) {
	l := newEventLog()
	seen, end, changed := l.snapshot(0)
	if len(seen) != 0 || end != 0 {
		t.Fatalf("empty log: %d events, end %d", len(seen), end)
	}
	select {
	case <-changed:
		t.Fatal("change channel closed before anything was recorded")
	default:
	}

	l.record(parseSync(t, joinSync))
	select {
	case <-changed:
	default:
		t.Fatal("change channel not closed by record")
	}

	all, end1, changed1 := l.snapshot(0)
	if len(all) != 5 || end1 != 5 {
		t.Fatalf("after first sync: %d events, end %d", len(all), end1)
	}
	later, end2, _ := l.snapshot(3)
	if len(later) != 2 || end2 != 5 || later[0].Event.ID != "$m2" {
		t.Errorf("snapshot(3) = %d events from %v, end %d", len(later), later, end2)
	}
	none, end3, _ := l.snapshot(end1)
	if len(none) != 0 || end3 != end1 {
		t.Errorf("snapshot(end) = %d events, end %d", len(none), end3)
	}
	clamped, end4, _ := l.snapshot(1 << 40)
	if len(clamped) != 0 || end4 != 5 {
		t.Errorf("snapshot(past end) = %d events, end %d", len(clamped), end4)
	}

	// The returned slice is a copy.
	all[0] = Seen{Room: "!changed:x"}
	if again, _, _ := l.snapshot(0); again[0].Room != roomDM {
		t.Errorf("snapshot shares its slice with the log")
	}

	l.record(parseSync(t, `{"rooms": {"join": {"!dm:example.test": {"timeline": {"events": [
		{"type": "m.room.message", "sender": "@bob:example.test", "event_id": "$m3", "content": {"msgtype": "m.text", "body": "three"}}
	]}}}}}`))
	select {
	case <-changed1:
	default:
		t.Fatal("second change channel not closed by the next record")
	}
	newer, end5, _ := l.snapshot(end1)
	if len(newer) != 1 || newer[0].Event.ID != "$m3" || end5 != 6 {
		t.Errorf("snapshot(after first sync) = %v, end %d", newer, end5)
	}
}

func TestDump(t *testing.T) {
	l := newEventLog()
	if got := l.dump(roomDM); got != "  (nothing)\n" {
		t.Errorf("dump of empty log = %q", got)
	}
	l.record(parseSync(t, joinSync))
	l.record(parseSync(t, `{"rooms": {"join": {"!other:example.test": {"timeline": {"events": [
		{"type": "m.room.message", "sender": "@bob:example.test", "event_id": "$o1", "content": {"msgtype": "m.text", "body": "elsewhere"}}
	]}}}}}`))

	tests := []struct {
		name     string
		room     id.RoomID
		contains []string
		excludes []string
	}{
		{
			name: "one room",
			room: roomDM,
			contains: []string{
				`  #0 [state !dm:example.test] @alice:example.test m.room.create`,
				`  #2 [timeline !dm:example.test] @fk_carol:example.test m.room.message m.text "hello alice"`,
				`  #3 [timeline !dm:example.test] @alice:example.test m.room.message m.notice "hi carol"`,
			},
			excludes: []string{"elsewhere", "(nothing)"},
		},
		{
			name:     "other room keeps global indexes",
			room:     roomOther,
			contains: []string{`  #5 [timeline !other:example.test] @bob:example.test m.room.message m.text "elsewhere"`},
			excludes: []string{"hello alice", "(nothing)"},
		},
		{
			name:     "all rooms",
			room:     "",
			contains: []string{"hello alice", "elsewhere"},
			excludes: []string{"(nothing)"},
		},
		{
			name:     "room without events",
			room:     "!empty:example.test",
			contains: []string{"  (nothing)\n"},
			excludes: []string{"hello alice", "elsewhere"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.dump(tt.room)
			for _, sub := range tt.contains {
				if !strings.Contains(got, sub) {
					t.Errorf("dump lacks %q:\n%s", sub, got)
				}
			}
			for _, sub := range tt.excludes {
				if strings.Contains(got, sub) {
					t.Errorf("dump has %q:\n%s", sub, got)
				}
			}
		})
	}
	if n := strings.Count(l.dump(roomDM), "\n"); n != 5 {
		t.Errorf("dump of the DM has %d lines, want one per event (5)", n)
	}
}

func TestDumpLastSyncError(t *testing.T) {
	l := newEventLog()
	l.noteError(errors.New("connection refused"))
	got := l.dump(roomDM)
	if !strings.Contains(got, "(nothing)") || !strings.Contains(got, "last sync error: connection refused") {
		t.Errorf("dump = %q", got)
	}
	// A successful sync clears the error.
	l.record(parseSync(t, `{"next_batch": "s2"}`))
	if got = l.dump(roomDM); strings.Contains(got, "last sync error") {
		t.Errorf("dump after a good sync still shows the error: %q", got)
	}
}

func TestDescribe(t *testing.T) {
	long := strings.Repeat("x", 130)
	tests := []struct {
		name    string
		section Section
		room    id.RoomID
		evt     string
		want    string
	}{
		{
			name:    "membership",
			section: SectionTimeline,
			room:    roomDM,
			evt:     `{"type": "m.room.member", "state_key": "@bob:example.test", "sender": "@bob:example.test", "event_id": "$j", "content": {"membership": "join"}}`,
			want:    `[timeline !dm:example.test] @bob:example.test m.room.member @bob:example.test → join`,
		},
		{
			name:    "membership with reason",
			section: SectionLeave,
			room:    roomLeft,
			evt:     `{"type": "m.room.member", "state_key": "@alice:example.test", "sender": "@bob:example.test", "event_id": "$k", "content": {"membership": "ban", "reason": "spam \"links\""}}`,
			want:    `[leave !left:example.test] @bob:example.test m.room.member @alice:example.test → ban (reason "spam \"links\"")`,
		},
		{
			name:    "invite",
			section: SectionInvite,
			room:    roomInvite,
			evt:     `{"type": "m.room.member", "state_key": "@alice:example.test", "sender": "@fk_carol:example.test", "content": {"membership": "invite"}}`,
			want:    `[invite !inv:example.test] @fk_carol:example.test m.room.member @alice:example.test → invite`,
		},
		{
			name:    "message",
			section: SectionTimeline,
			room:    roomDM,
			evt:     `{"type": "m.room.message", "sender": "@fk_carol:example.test", "event_id": "$m", "content": {"msgtype": "m.emote", "body": "waves"}}`,
			want:    `[timeline !dm:example.test] @fk_carol:example.test m.room.message m.emote "waves"`,
		},
		{
			name:    "long message is truncated",
			section: SectionTimeline,
			room:    roomDM,
			evt:     `{"type": "m.room.message", "sender": "@bob:example.test", "event_id": "$l", "content": {"msgtype": "m.text", "body": "` + long + `"}}`,
			want:    `[timeline !dm:example.test] @bob:example.test m.room.message m.text "` + strings.Repeat("x", 120) + `…"`,
		},
		{
			name:    "reaction",
			section: SectionTimeline,
			room:    roomDM,
			evt:     `{"type": "m.reaction", "sender": "@bob:example.test", "event_id": "$r", "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$m", "key": "👍"}}}`,
			want:    `[timeline !dm:example.test] @bob:example.test m.reaction "👍" on $m`,
		},
		{
			name:    "redaction",
			section: SectionTimeline,
			room:    roomDM,
			evt:     `{"type": "m.room.redaction", "sender": "@bob:example.test", "event_id": "$x", "redacts": "$m", "content": {}}`,
			want:    `[timeline !dm:example.test] @bob:example.test m.room.redaction redacts $m`,
		},
		{
			name:    "other event shows raw content",
			section: SectionState,
			room:    roomDM,
			evt:     `{"type": "fi.mxb.custom", "state_key": "", "sender": "@bob:example.test", "event_id": "$c", "content": {"a":1}}`,
			want:    `[state !dm:example.test] @bob:example.test fi.mxb.custom {"a":1}`,
		},
		{
			name:    "ephemeral without summary",
			section: SectionEphemeral,
			room:    roomDM,
			evt:     `{"type": "m.typing", "content": {}}`,
			want:    `[ephemeral !dm:example.test]  m.typing {}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evt := parseEvent(t, tt.evt)
			got := Describe(Seen{Room: tt.room, Section: tt.section, Event: evt})
			if got != tt.want {
				t.Errorf("Describe =\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"hello world", 5, "hello…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestDescribeTruncatesOnRuneBoundary documents a small bug in eventlog.go truncate: it cuts at
// a byte offset (s[:n]), so a long non-ASCII body can be split inside a UTF-8 sequence and the
// failure dump shows a \x.. escape instead of the character. It should cut at a rune boundary.
func TestDescribeTruncatesOnRuneBoundary(t *testing.T) {
	body := "a" + strings.Repeat("é", 100) // byte 120 falls inside an "é"
	evt := parseEvent(t, `{"type": "m.room.message", "sender": "@bob:example.test", "content": {"msgtype": "m.text", "body": "`+body+`"}}`)
	got := Describe(Seen{Room: roomDM, Section: SectionTimeline, Event: evt})
	if strings.Contains(got, `\x`) {
		t.Errorf("Describe split a character: %s", got)
	}
}
