// Package connector is the WhatsApp network connector for bridgev2: login flows, the
// connection of each login through whatsmeow (via the wa seam), and the conversion of events
// in both directions. It is the only package of the bridge that does I/O.
//
// Every whatsmeow event enters through one table, handleEvent in handlewa.go; each concern
// has its own file (messages.go, reactions.go, presence.go, ghosts.go, groups.go, …), as
// docs/architecture.md lays out for every bridge.
package connector
