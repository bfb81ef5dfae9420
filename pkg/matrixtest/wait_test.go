package matrixtest

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

func newTestUser(userID id.UserID) *User {
	return &User{Client: &mautrix.Client{UserID: userID}, log: newEventLog()}
}

// messageSync is a sync with one timeline message in room.
func messageSync(room id.RoomID, evtID id.EventID, sender id.UserID, body string) string {
	return fmt.Sprintf(`{"rooms": {"join": {%q: {"timeline": {"events": [
		{"type": "m.room.message", "sender": %q, "event_id": %q, "content": {"msgtype": "m.text", "body": %q}}
	]}}}}}`, room, sender, evtID, body)
}

// recordLater records body into u's log after delay, from another goroutine.
func recordLater(t *testing.T, u *User, delay time.Duration, bodies ...string) *sync.WaitGroup {
	t.Helper()
	syncs := make([]*mautrix.RespSync, len(bodies))
	for i, b := range bodies {
		syncs[i] = parseSync(t, b)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, s := range syncs {
			time.Sleep(delay)
			u.log.record(s)
		}
	}()
	t.Cleanup(wg.Wait)
	return &wg
}

func TestFind(t *testing.T) {
	tests := []struct {
		name string
		// before is recorded before the cursor is taken, early after it, and late from
		// another goroutine while Find waits.
		before, early, late []string
		room                id.RoomID
		match               Match
		timeout             time.Duration
		wantID              id.EventID
		wantDump            []string
		noDump              []string
	}{
		{
			name:    "event already there after the cursor",
			early:   []string{messageSync(roomDM, "$a", bob, "ping")},
			room:    roomDM,
			match:   MessageFrom(bob, "ping"),
			timeout: time.Second,
			wantID:  "$a",
		},
		{
			name:    "first of several matches",
			early:   []string{messageSync(roomDM, "$a", bob, "ping 1"), messageSync(roomDM, "$b", bob, "ping 2")},
			room:    roomDM,
			match:   MessageFrom(bob, "ping"),
			timeout: time.Second,
			wantID:  "$a",
		},
		{
			name:    "event arrives later",
			late:    []string{messageSync(roomDM, "$x", alice, "noise"), messageSync(roomDM, "$late", bob, "pong")},
			room:    roomDM,
			match:   MessageFrom(bob, "pong"),
			timeout: 5 * time.Second,
			wantID:  "$late",
		},
		{
			name:    "any room",
			late:    []string{messageSync(roomOther, "$o", bob, "pong")},
			room:    "",
			match:   MessageFrom(bob, "pong"),
			timeout: 5 * time.Second,
			wantID:  "$o",
		},
		{
			name:     "events before the cursor are ignored",
			before:   []string{messageSync(roomDM, "$old", bob, "ping")},
			room:     roomDM,
			match:    MessageFrom(bob, "ping"),
			timeout:  50 * time.Millisecond,
			wantDump: []string{`"ping"`},
		},
		{
			name:     "match in another room is ignored",
			early:    []string{messageSync(roomOther, "$o", bob, "ping"), messageSync(roomDM, "$d", alice, "chatter")},
			room:     roomDM,
			match:    MessageFrom(bob, "ping"),
			timeout:  50 * time.Millisecond,
			wantDump: []string{`@alice:example.test m.room.message m.text "chatter"`},
			noDump:   []string{"ping", "(nothing)"},
		},
		{
			name:     "late non-matching events show in the dump",
			late:     []string{messageSync(roomDM, "$n", alice, "not it")},
			room:     roomDM,
			match:    MessageFrom(bob),
			timeout:  200 * time.Millisecond,
			wantDump: []string{`"not it"`},
		},
		{
			name:     "nothing in the room",
			early:    []string{messageSync(roomOther, "$o", bob, "elsewhere")},
			room:     roomDM,
			match:    func(Seen) bool { return true },
			timeout:  50 * time.Millisecond,
			wantDump: []string{"(nothing)"},
			noDump:   []string{"elsewhere"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newTestUser(alice)
			for _, b := range tt.before {
				u.log.record(parseSync(t, b))
			}
			cursor := u.Cursor()
			for _, b := range tt.early {
				u.log.record(parseSync(t, b))
			}
			if len(tt.late) > 0 {
				recordLater(t, u, 20*time.Millisecond, tt.late...)
			}
			start := time.Now()
			s, dump := u.Find(tt.room, cursor, tt.timeout, tt.match)
			elapsed := time.Since(start)
			if tt.wantID != "" {
				if s == nil {
					t.Fatalf("Find found nothing; dump:\n%s", dump)
				}
				if s.Event.ID != tt.wantID {
					t.Errorf("Find = %s, want %s", s.Event.ID, tt.wantID)
				}
				if dump != "" {
					t.Errorf("successful Find returned a dump: %q", dump)
				}
				return
			}
			if s != nil {
				t.Fatalf("Find = %s, want nothing", Describe(*s))
			}
			if elapsed < tt.timeout {
				t.Errorf("Find gave up after %s, before its timeout %s", elapsed, tt.timeout)
			}
			for _, sub := range tt.wantDump {
				if !strings.Contains(dump, sub) {
					t.Errorf("dump lacks %q:\n%s", sub, dump)
				}
			}
			for _, sub := range tt.noDump {
				if strings.Contains(dump, sub) {
					t.Errorf("dump has %q:\n%s", sub, dump)
				}
			}
		})
	}
}

func TestFindReturnsPromptly(t *testing.T) {
	u := newTestUser(alice)
	cursor := u.Cursor()
	recordLater(t, u, 20*time.Millisecond, messageSync(roomDM, "$p", bob, "prompt"))
	start := time.Now()
	s, dump := u.Find(roomDM, cursor, 10*time.Second, MessageFrom(bob, "prompt"))
	if s == nil {
		t.Fatalf("not found; dump:\n%s", dump)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Find took %s; it should wake up on the new event, not wait for the timeout", elapsed)
	}
}

func TestCursor(t *testing.T) {
	u := newTestUser(alice)
	if c := u.Cursor(); c != 0 {
		t.Errorf("cursor of an empty log = %d", c)
	}
	u.log.record(parseSync(t, joinSync))
	if c := u.Cursor(); c != 5 {
		t.Errorf("cursor after 5 events = %d", c)
	}
	u.log.record(parseSync(t, joinSync)) // typing (no ID) is recorded again, the rest deduplicated
	if c := u.Cursor(); c != 6 {
		t.Errorf("cursor after a repeated sync = %d", c)
	}
}

// fakeTB records fatal failures; Fatalf ends the calling goroutine like testing.T does.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	msg    string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.failed = true
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// runTB runs fn with a fakeTB in its own goroutine and returns the TB once fn has ended.
func runTB(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func setDefaultTimeout(t *testing.T, d time.Duration) {
	old := DefaultTimeout
	DefaultTimeout = d
	t.Cleanup(func() { DefaultTimeout = old })
}

func TestWaitFor(t *testing.T) {
	setDefaultTimeout(t, 100*time.Millisecond)
	u := newTestUser(alice)
	cursor := u.Cursor()
	u.log.record(parseSync(t, messageSync(roomDM, "$w", bob, "wanted")))

	var got *event.Event
	f := runTB(t, func(tb testing.TB) { got = u.WaitFor(tb, roomDM, cursor, "bob's message", MessageFrom(bob, "wanted")) })
	if f.failed {
		t.Fatalf("WaitFor failed: %s", f.msg)
	}
	if got == nil || got.ID != "$w" {
		t.Errorf("WaitFor = %v, want $w", got)
	}

	f = runTB(t, func(tb testing.TB) { u.WaitFor(tb, roomDM, cursor, "a reply from carol", MessageFrom(ghost)) })
	if !f.failed {
		t.Fatal("WaitFor for a missing event did not fail")
	}
	for _, sub := range []string{"@alice:example.test", "a reply from carol", string(roomDM), `"wanted"`} {
		if !strings.Contains(f.msg, sub) {
			t.Errorf("failure message lacks %q: %s", sub, f.msg)
		}
	}

	f = runTB(t, func(tb testing.TB) { u.WaitFor(tb, "", u.Cursor(), "anything", func(Seen) bool { return true }) })
	if !f.failed || !strings.Contains(f.msg, "any room") {
		t.Errorf("WaitFor in any room: failed=%v msg=%q, want a failure naming \"any room\"", f.failed, f.msg)
	}
}

func TestNever(t *testing.T) {
	u := newTestUser(alice)
	cursor := u.Cursor()
	u.log.record(parseSync(t, messageSync(roomDM, "$e", bob, "echo")))

	f := runTB(t, func(tb testing.TB) {
		u.Never(tb, roomDM, cursor, 30*time.Millisecond, "an echo", MessageFrom(bob, "echo"))
	})
	if !f.failed {
		t.Fatal("Never did not fail on a matching event")
	}
	for _, sub := range []string{"an echo", "must not happen", `"echo"`} {
		if !strings.Contains(f.msg, sub) {
			t.Errorf("failure message lacks %q: %s", sub, f.msg)
		}
	}

	f = runTB(t, func(tb testing.TB) {
		u.Never(tb, roomDM, u.Cursor(), 30*time.Millisecond, "an echo", MessageFrom(bob, "echo"))
	})
	if f.failed {
		t.Errorf("Never failed although nothing new arrived: %s", f.msg)
	}
	f = runTB(t, func(tb testing.TB) {
		u.Never(tb, roomOther, cursor, 30*time.Millisecond, "an echo", MessageFrom(bob, "echo"))
	})
	if f.failed {
		t.Errorf("Never failed on an event in another room: %s", f.msg)
	}
}

func TestWaitInvite(t *testing.T) {
	setDefaultTimeout(t, 2*time.Second)
	inviteSync := func(room id.RoomID, sender, target id.UserID) string {
		return fmt.Sprintf(`{"rooms": {"invite": {%q: {"invite_state": {"events": [
			{"type": "m.room.member", "state_key": %q, "sender": %q, "content": {"membership": "invite"}}
		]}}}}}`, room, target, sender)
	}
	u := newTestUser(alice)
	cursor := u.Cursor()
	// An invite of someone else, and a join-section member event, must not count.
	u.log.record(parseSync(t, inviteSync("!wrong:example.test", bob, "@dave:example.test")))
	u.log.record(parseSync(t, `{"rooms": {"join": {"!joined:example.test": {"timeline": {"events": [
		{"type": "m.room.member", "state_key": "@alice:example.test", "sender": "@bob:example.test", "event_id": "$i", "content": {"membership": "invite"}}
	]}}}}}`))
	recordLater(t, u, 20*time.Millisecond,
		inviteSync("!frombob:example.test", bob, alice),
		inviteSync(roomInvite, ghost, alice))

	var room id.RoomID
	f := runTB(t, func(tb testing.TB) { room = u.WaitInvite(tb, cursor, "invite from carol", InvitedBy(ghost)) })
	if f.failed {
		t.Fatalf("WaitInvite failed: %s", f.msg)
	}
	if room != roomInvite {
		t.Errorf("WaitInvite = %s, want %s", room, roomInvite)
	}

	room = ""
	f = runTB(t, func(tb testing.TB) { room = u.WaitInvite(tb, cursor, "any invite", nil) })
	if f.failed || room != "!frombob:example.test" {
		t.Errorf("WaitInvite(nil) = %q (failed=%v %s), want the first invite of alice", room, f.failed, f.msg)
	}
}
