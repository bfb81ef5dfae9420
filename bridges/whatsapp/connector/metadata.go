package connector

import (
	"maunium.net/go/mautrix/bridgev2/database"
)

func (c *Connector) GetDBMetaTypes() database.MetaTypes {
	return database.MetaTypes{
		UserLogin: func() any { return &LoginMetadata{} },
		Message:   func() any { return &MessageMetadata{} },
	}
}

// LoginMetadata is stored with each login.
type LoginMetadata struct {
	// DeviceJID is the full JID of this bridge's linked device (user:device@server).
	DeviceJID string `json:"device_jid"`
	// PhoneLastSeen is when the account's phone last sent or read anything (Unix seconds).
	PhoneLastSeen int64 `json:"phone_last_seen,omitempty"`
}

// MessageMetadata is stored with each bridged message part.
type MessageMetadata struct {
	// PollOptions maps the Matrix answer IDs of a poll to the option texts WhatsApp knows.
	PollOptions map[string]string `json:"poll_options,omitempty"`
}
