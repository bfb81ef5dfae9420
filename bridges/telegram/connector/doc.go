// Package connector is the Telegram network connector for bridgev2: login flows, the MTProto
// connection of each login through gotd/td, and the conversion of events in both directions.
// It is the only package of the bridge that does I/O.
//
// Files follow the suite's layout (docs/architecture.md, "Where things live"): handletg.go is
// the one table of the Telegram updates the bridge handles, whose handlers live in the file of
// their concern (messages.go, channels.go, polls_sync.go, pins.go, ghosts.go, presence.go,
// ...); handlematrix.go takes Matrix messages, edits and deletes; errors.go holds every
// user-facing error and bridge-state code, metadata.go every persisted type. Pure conversion
// is in package tgconv, text formatting in markup and ID mapping in ids.
package connector
