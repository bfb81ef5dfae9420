package matrixtest

import (
	"strings"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// MessageFrom matches an m.room.message from sender whose body contains every given substring.
func MessageFrom(sender id.UserID, contains ...string) Match {
	return func(s Seen) bool {
		if s.Event.Type != event.EventMessage || s.Event.Sender != sender {
			return false
		}
		body := s.Event.Content.AsMessage().Body
		for _, sub := range contains {
			if !strings.Contains(body, sub) {
				return false
			}
		}
		return true
	}
}

// Membership matches a membership change of user to the given state.
func Membership(user id.UserID, membership event.Membership) Match {
	return func(s Seen) bool {
		return s.Event.Type == event.StateMember && s.Event.GetStateKey() == user.String() &&
			s.Event.Content.AsMember().Membership == membership
	}
}

// InvitedBy matches an invite sent by the given user.
func InvitedBy(sender id.UserID) Match {
	return func(s Seen) bool { return s.Event.Sender == sender }
}

// Type matches any event of the given type from sender ("" for anyone).
func Type(t event.Type, sender id.UserID) Match {
	return func(s Seen) bool {
		return s.Event.Type == t && (sender == "" || s.Event.Sender == sender)
	}
}
