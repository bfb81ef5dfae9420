package connector

import (
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// Every type the bridge persists with bridgev2's rows is here. Their JSON field names are in
// users' databases: never rename one.

func (c *Connector) GetDBMetaTypes() database.MetaTypes {
	return database.MetaTypes{
		UserLogin: func() any { return &LoginMetadata{} },
		Message:   func() any { return &MessageMetadata{} },
	}
}

// LoginMetadata is stored with each Telegram login.
type LoginMetadata struct {
	// Session is gotd's MTProto session (auth key, DC, salt), as gotd serialises it.
	Session []byte `json:"session,omitempty"`
	// Phone is the account's phone number, when it logged in with one.
	Phone string `json:"phone,omitempty"`
	// Updates is the account's update sequence state, for gap recovery after restarts.
	Updates UpdateState `json:"updates"`
}

// UpdateState is gotd's update sequence state (pts/qts/date/seq of the account and pts of each
// channel), kept with the login so that after a restart the bridge asks Telegram for exactly
// what it missed (updates.getDifference) instead of losing it.
type UpdateState struct {
	Pts, Qts, Date, Seq int
	Known               bool
	ChannelPts          map[int64]int   `json:",omitempty"`
	ChannelHashes       map[int64]int64 `json:",omitempty"`
	// UserHashes are the access hashes of the users the account saw, so that a restarted
	// bridge can write to a private chat before Telegram mentions its peer again.
	UserHashes map[int64]int64 `json:",omitempty"`
}

// MessageMetadata is what the bridge stores with a message. Only polls need anything.
type MessageMetadata struct {
	Poll *PollMetadata `json:"poll,omitempty"`
}

// PollMetadata is what the bridge remembers of a poll (tgconv.Poll, whose fields it keeps
// under their own JSON names) with the connector's vote bookkeeping as methods.
type PollMetadata struct {
	tgconv.Poll
}

// PollAnswerMetadata is one answer of a poll: its Matrix ID, its Telegram option bytes and
// its text.
type PollAnswerMetadata = tgconv.PollAnswer

// pollMetadataOf returns the poll stored with a message, or nil if it is not a poll.
func pollMetadataOf(meta any) *PollMetadata {
	if m, ok := meta.(*MessageMetadata); ok {
		return m.Poll
	}
	return nil
}
