package ids

import "maunium.net/go/mautrix/bridgev2/networkid"

// What a poll adds to the Matrix room besides its start event gets IDs derived from the
// poll's message ID with a colon, which ParseMessageID rejects, so they never pass for a
// Telegram message:
//
//   - a vote is "<poll message id>:vote:<something unique to the vote>";
//   - a poll's end (its end event and the results notice) is "<poll message id>:end".

// PollVoteID identifies one vote on a poll; unique tells votes apart (a Matrix event ID, a
// time).
func PollVoteID(poll networkid.MessageID, unique string) networkid.MessageID {
	return networkid.MessageID(string(poll) + ":vote:" + unique)
}

// PollEndID identifies the end of a poll. A poll ends once, so the ID is the same every time
// Telegram reports it closed.
func PollEndID(poll networkid.MessageID) networkid.MessageID {
	return networkid.MessageID(string(poll) + ":end")
}
