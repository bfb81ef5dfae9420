// Package journal keeps a bridge's inbound network events durable between the moment the
// network is told they arrived and the moment they are in Matrix.
//
// A network that redelivers what was not acknowledged (WhatsApp) lets a bridge be exactly-once
// by acknowledging only after handling, which makes one login's events reach Matrix one after
// another. With a journal the bridge stores the event (Put), acknowledges it, handles it later
// on the chat's lane (pkg/bridgekit/lanes), and removes it once it is in Matrix (Done). On start
// it hands the entries still there to the lanes again (Pending): an event is handled at least
// once, and bridgev2's check of its message table turns that into exactly once.
//
// The table lives in the bridge's own database (SQLite or PostgreSQL) with its own version
// table, next to bridgev2's tables.
package journal
