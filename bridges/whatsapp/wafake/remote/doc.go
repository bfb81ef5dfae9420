// Package remote is a wa.Client for a bridge process whose WhatsApp is a wafake.Network in
// another process (the test), reached over wafake.ServeRemote's HTTP API. Crash tests build
// the bridge binary with the wafake tag, which links this package, so that the fake, living
// in the test, survives kill -9 of the bridge and delivers again what the bridge never
// acknowledged. Production builds never link it.
//
// It carries what the chaos scenarios use: connecting (with whatsmeow's automatic reconnect
// after an unexpected disconnect), pairing by QR code or phone, the event stream (messages and
// connection events, each acknowledged with the handlers' result, as whatsmeow does with
// SynchronousAck), sending, read receipts, presence and chat and contact lookups. Everything
// else returns ErrNotSupported.
package remote
