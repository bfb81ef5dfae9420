// Package lanes runs a login's network events in ordered lanes, one lane per chat: the events
// of one chat are handled one after another in the order they came, the chats in parallel.
//
// A network library hands a login's events over one at a time (whatsmeow's node queue, gotd's
// update sequence). Handling each before taking the next makes every chat wait for every other
// one; lanes let the receiver return as soon as an event is safe (journalled, or covered by a
// state that is saved only once it is handled) and handle chats side by side.
package lanes
