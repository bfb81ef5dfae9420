// Package wafake is an in-memory WhatsApp for tests, benchmarks and crash tests. Its Client
// implements wa.Client: the connector under test talks to it exactly as it talks to whatsmeow,
// and tests play the WhatsApp side by emitting real events.* values (built from real waE2E
// protobufs) into the same event handlers whatsmeow would call, and by reading what the
// connector sent. It is safe for concurrent use and holds thousands of messages.
package wafake
