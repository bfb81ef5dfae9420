// Package deptest checks what a bridge binary links in, in the style of tailscale's
// tstest/deptest: a test next to each binary's main package lists the binary's dependencies
// with `go list -deps` and fails when one of them is part of the test stack or a network fake.
// A bridge binary must never carry test code to an admin's server.
package deptest
