// Package tgfake is a fake Telegram for tests, benchmarks and crash tests: gotd's in-process
// MTProto cluster (real handshake, encryption and sessions) with handlers we write for the
// methods the bridge calls. Tests add accounts, make users write, and read what the bridge sent.
package tgfake
