// Package loopback hands out free TCP ports on 127.0.0.1 for servers that the test stack and the
// local dev stack start (Synapse, bridge appservice listeners).
package loopback
