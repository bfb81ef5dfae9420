// Package status builds the errors a network connector returns from a Matrix event handler, so
// that the Matrix sender sees why their message or change did not reach the network. bridgev2
// turns them into an m.bridge message-status event and, because every error here asks for it, a
// notice in the room with the error text.
//
// Two kinds exist: Refused for what can never succeed as asked (the bridge or the network said
// no for a reason the user must change), and Failed for what the network did not accept this
// time and may accept on a retry.
package status
