// Package synapse installs and runs real Synapse homeservers on loopback, for the integration
// test stack and for the local dev stack.
//
// Synapse comes from Debian sid, installed into a chroot that is cached outside the checkout
// (see install.sh) and reused by every later run on the same machine. Each [Server] lives in
// its own directory inside that chroot, with a generated homeserver.yaml, its own SQLite
// database, signing key and media store, and listens on a free port of 127.0.0.1.
package synapse
