// Package presence shows a remote user's online status as their ghost's Matrix presence.
// bridgev2 has no presence API, so this talks to the ghost's appservice intent directly; it
// is shared by every bridge whose network reports presence.
package presence
