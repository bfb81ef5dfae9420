// Package matrixtest drives real Matrix users against a test homeserver: it logs them in, keeps
// a sync loop that records every event they see, and lets tests send messages, reactions,
// edits, redactions and media and wait for an event that matches a predicate. A wait that times
// out fails the test with a readable dump of what did arrive in that room.
package matrixtest
