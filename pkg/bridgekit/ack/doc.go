// Package ack makes a bridge acknowledge a homeserver transaction only once every event in it
// has been handled, so that a bridge killed in the middle of a transaction loses nothing: the
// homeserver never got its 200 and sends the same transaction again to the restarted bridge.
//
// mautrix's appservice answers 200 as soon as a transaction's events are in its event channel
// (64 deep), and bridgev2 queues them again per portal (portal_event_buffer, 64 deep): a kill
// loses what sits in both. Install turns the portal queues off and waits, before answering,
// until the event processor has taken a barrier placed behind the transaction's last event.
// The processor runs one event at a time (async_transactions: false), so taking the barrier
// means every earlier event was handled to the end, including the network send.
//
// A transaction that is sent again after a restart is handled again; with
// deduplicate_matrix_messages on (Install turns it on) bridgev2 skips messages it has already
// stored, and the connector's network IDs derived from the Matrix event ID let the network drop
// the one message that may have been sent but not yet stored at the moment of the kill.
//
// Synapse itself loses the events it had accepted but not yet put into a stored transaction
// when it restarts. While the bridge runs, it watches the homeserver; when it comes back after
// an outage, the bridge reads every portal's timeline for the time around the outage and
// handles, in order, the Matrix users' messages, reactions and redactions that no transaction
// brought (catchup.go).
//
// A ghost's send that the homeserver stored just before it died is not stored twice when
// mautrix retries it: Synapse forgets the transaction IDs of device-less (appservice) senders
// on a restart, so the retry first looks for the event in the room (resend.go).
//
// Bot commands are not covered: bridgev2 runs them in goroutines of their own.
package ack
