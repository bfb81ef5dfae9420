// Package bridgetest runs bridgev2 bridges in-process against a real Synapse and a real
// PostgreSQL (or SQLite) database, for integration tests of every bridge in the suite.
//
// A test package builds one [Stack] in TestMain with [Main]: one Synapse on a free loopback
// port, one or more bridges whose config and registration are generated through mautrix's own
// config machinery (package bridgeconf), each with a fresh database. Tests then register Matrix
// users with [Stack.NewUser] and drive the bridge as a person would, through real rooms.
//
// Logs are written under the stack's artifact directory; it is deleted when the tests pass and
// kept (with Synapse's log copied in) when they fail, and its path is printed.
package bridgetest
