package matrixtest

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Section says where in a sync response an event was seen.
type Section string

const (
	SectionTimeline  Section = "timeline"
	SectionState     Section = "state"
	SectionInvite    Section = "invite"
	SectionLeave     Section = "leave"
	SectionEphemeral Section = "ephemeral"
)

// Seen is one event as the user saw it.
type Seen struct {
	Room    id.RoomID
	Section Section
	Event   *event.Event
}

// Cursor marks a point in a user's event log; waits can look only at what came after it.
type Cursor int

// eventLog is every event a user's sync loop saw, in order, with a broadcast on append.
type eventLog struct {
	mu      sync.Mutex
	seen    []Seen
	ids     map[id.EventID]bool
	changed chan struct{}
	lastErr error
}

func newEventLog() *eventLog {
	return &eventLog{ids: map[id.EventID]bool{}, changed: make(chan struct{})}
}

func (l *eventLog) record(resp *mautrix.RespSync) {
	l.mu.Lock()
	defer l.mu.Unlock()
	add := func(room id.RoomID, sec Section, evts []*event.Event) {
		for _, evt := range evts {
			if evt.ID != "" {
				if l.ids[evt.ID] {
					continue
				}
				l.ids[evt.ID] = true
			}
			evt.RoomID = room
			// The class comes from where the event appeared, as in mautrix's own syncer; the
			// type name alone leaves some standard state events unclassified.
			switch {
			case sec == SectionEphemeral:
				evt.Type.Class = event.EphemeralEventType
			case sec == SectionState || sec == SectionInvite || evt.StateKey != nil:
				evt.Type.Class = event.StateEventType
			default:
				evt.Type.Class = event.MessageEventType
			}
			// Unknown event types stay raw; predicates can still read evt.Content.Raw.
			_ = evt.Content.ParseRaw(evt.Type)
			l.seen = append(l.seen, Seen{Room: room, Section: sec, Event: evt})
		}
	}
	for room, r := range resp.Rooms.Invite {
		add(room, SectionInvite, r.State.Events)
	}
	for room, r := range resp.Rooms.Join {
		add(room, SectionState, r.State.Events)
		add(room, SectionTimeline, r.Timeline.Events)
		add(room, SectionEphemeral, r.Ephemeral.Events)
	}
	for room, r := range resp.Rooms.Leave {
		add(room, SectionLeave, r.State.Events)
		add(room, SectionLeave, r.Timeline.Events)
	}
	l.lastErr = nil
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *eventLog) noteError(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastErr = err
}

// snapshot returns the events after cursor and a channel closed on the next append.
func (l *eventLog) snapshot(after Cursor) ([]Seen, Cursor, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if int(after) > len(l.seen) {
		after = Cursor(len(l.seen))
	}
	out := make([]Seen, len(l.seen)-int(after))
	copy(out, l.seen[after:])
	return out, Cursor(len(l.seen)), l.changed
}

// dump renders what the user saw in one room (or everywhere, for room ""), for failure messages.
func (l *eventLog) dump(room id.RoomID) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	n := 0
	for i, s := range l.seen {
		if room != "" && s.Room != room {
			continue
		}
		n++
		fmt.Fprintf(&b, "  #%d %s\n", i, Describe(s))
	}
	if n == 0 {
		b.WriteString("  (nothing)\n")
	}
	if l.lastErr != nil {
		fmt.Fprintf(&b, "  last sync error: %v\n", l.lastErr)
	}
	return b.String()
}

// Describe renders one seen event on a line: where, who, what type and a short summary.
func Describe(s Seen) string {
	evt := s.Event
	summary := ""
	switch evt.Type {
	case event.StateMember:
		m := evt.Content.AsMember()
		summary = fmt.Sprintf("%s → %s", evt.GetStateKey(), m.Membership)
		if m.Reason != "" {
			summary += fmt.Sprintf(" (reason %q)", m.Reason)
		}
	case event.EventMessage:
		m := evt.Content.AsMessage()
		summary = fmt.Sprintf("%s %q", m.MsgType, truncate(m.Body, 120))
	case event.EventReaction:
		r := evt.Content.AsReaction()
		summary = fmt.Sprintf("%q on %s", r.RelatesTo.Key, r.RelatesTo.EventID)
	case event.EventRedaction:
		summary = "redacts " + evt.Redacts.String()
	default:
		if raw := evt.Content.VeryRaw; len(raw) > 0 {
			summary = truncate(string(raw), 120)
		}
	}
	return fmt.Sprintf("[%s %s] %s %s %s", s.Section, s.Room, evt.Sender, evt.Type.Type, summary)
}

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
