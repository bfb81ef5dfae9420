package matrixtest

import (
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Match decides whether a seen event is the one a test waits for.
type Match func(Seen) bool

// Cursor returns the current end of the user's event log. Pass it to a wait to ignore
// everything seen so far, e.g. before sending a command whose reply you expect.
func (u *User) Cursor() Cursor {
	_, end, _ := u.log.snapshot(1 << 62)
	return end
}

// Find waits up to timeout for an event after cursor in room (any room if room is "") that
// matches. It returns the event, or nil and a dump of what the user saw in that room.
func (u *User) Find(room id.RoomID, after Cursor, timeout time.Duration, match Match) (*Seen, string) {
	deadline := time.After(timeout)
	for {
		seen, end, changed := u.log.snapshot(after)
		for i := range seen {
			if (room == "" || seen[i].Room == room) && match(seen[i]) {
				return &seen[i], ""
			}
		}
		after = end
		select {
		case <-changed:
		case <-deadline:
			return nil, u.log.dump(room)
		}
	}
}

// WaitFor fails the test unless an event matching match arrives in room after cursor within
// DefaultTimeout. what describes the awaited event for the failure message.
func (u *User) WaitFor(t testing.TB, room id.RoomID, after Cursor, what string, match Match) *event.Event {
	t.Helper()
	s, dump := u.Find(room, after, DefaultTimeout, match)
	if s == nil {
		t.Fatalf("%s: waited %s for %s in %s; saw:\n%s", u.UserID, DefaultTimeout, what, roomLabel(room), dump)
	}
	return s.Event
}

// Never fails the test if an event matching match arrives in room after cursor within d.
// Use it sparingly and only after a positive wait that shows the pipeline is flowing.
func (u *User) Never(t testing.TB, room id.RoomID, after Cursor, d time.Duration, what string, match Match) {
	t.Helper()
	if s, _ := u.Find(room, after, d, match); s != nil {
		t.Fatalf("%s: saw %s, which must not happen: %s", u.UserID, what, Describe(*s))
	}
}

// WaitInvite waits for an invite of this user to a room (not a space: bridges also invite
// users to spaces that group their rooms) and returns the room.
func (u *User) WaitInvite(t testing.TB, after Cursor, what string, match Match) id.RoomID {
	t.Helper()
	evt := u.WaitFor(t, "", after, what, func(s Seen) bool {
		return s.Section == SectionInvite && s.Event.Type == event.StateMember &&
			s.Event.GetStateKey() == u.UserID.String() &&
			s.Event.Content.AsMember().Membership == event.MembershipInvite &&
			!u.isSpace(s.Room) && (match == nil || match(s))
	})
	return evt.RoomID
}

// isSpace reports whether the invite state of a room says it is a space.
func (u *User) isSpace(room id.RoomID) bool {
	all, _, _ := u.log.snapshot(0)
	for _, s := range all {
		if s.Room == room && s.Event.Type == event.StateCreate {
			if t, _ := s.Event.Content.Raw["type"].(string); t == "m.space" {
				return true
			}
		}
	}
	return false
}

func roomLabel(room id.RoomID) string {
	if room == "" {
		return "any room"
	}
	return string(room)
}

// Describe renders everything the user saw in a room, for failure messages.
func (u *User) Describe(room id.RoomID) string { return u.log.dump(room) }

// Seen returns everything the user saw in a room so far, in order.
func (u *User) Seen(room id.RoomID) []Seen {
	all, _, _ := u.log.snapshot(0)
	out := make([]Seen, 0, len(all))
	for _, s := range all {
		if s.Room == room {
			out = append(out, s)
		}
	}
	return out
}
