// Package bridgeproc runs a bridge as a built binary, the way an admin deploys it: the binary
// writes its example config (-e), the config is pointed at the homeserver, the binary generates
// its registration (-g), and then it runs until stopped. The dev stack uses it, and crash tests
// use [Process.Kill] to end a bridge without warning.
package bridgeproc
