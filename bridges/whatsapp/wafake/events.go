package wafake

import (
	"crypto/sha256"
	"strconv"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
)

var messageCounter atomic.Int64

// NextID returns a fresh WhatsApp-style message ID.
func NextID() types.MessageID {
	return types.MessageID("3EB0FAKE" + strconv.FormatInt(messageCounter.Add(1), 10))
}

// Incoming builds the event whatsmeow emits when sender's message arrives in chat. pushName is
// the sender's self-chosen WhatsApp name.
func Incoming(chat, sender types.JID, pushName string, msg *waE2E.Message) *events.Message {
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{
				Chat:    chat,
				Sender:  sender,
				IsGroup: chat.Server == types.GroupServer,
			},
			ID:        NextID(),
			PushName:  pushName,
			Timestamp: time.Now().Truncate(time.Second),
			Type:      "text",
		},
		Message:    msg,
		RawMessage: msg,
	}
}

// Text is a plain conversation message.
func Text(text string) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(text)}
}

// ExtendedText is a text message with context: mentions and/or a quoted (replied-to) message.
func ExtendedText(text string, ctx *waE2E.ContextInfo) *waE2E.Message {
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text), ContextInfo: ctx}}
}

// User is the JID of a phone number on WhatsApp.
func User(phone string) types.JID {
	return types.NewJID(phone, types.DefaultUserServer)
}

// PollVote is the decrypted content of a vote for the named options (WhatsApp identifies
// options by the SHA-256 of their names).
func PollVote(optionNames ...string) *waE2E.PollVoteMessage {
	vote := &waE2E.PollVoteMessage{}
	for _, name := range optionNames {
		sum := sha256.Sum256([]byte(name))
		vote.SelectedOptions = append(vote.SelectedOptions, sum[:])
	}
	return vote
}

// VoteMessage is the message a voter sends for a poll (chat, poll sender, poll ID).
func VoteMessage(chat, pollSender types.JID, pollID types.MessageID, fromMe bool, optionNames ...string) *waE2E.Message {
	payload, _ := proto.Marshal(PollVote(optionNames...))
	key := &waCommon.MessageKey{RemoteJID: proto.String(chat.String()), FromMe: proto.Bool(fromMe), ID: proto.String(string(pollID))}
	if chat.Server == types.GroupServer {
		key.Participant = proto.String(pollSender.ToNonAD().String())
	}
	return &waE2E.Message{PollUpdateMessage: &waE2E.PollUpdateMessage{PollCreationMessageKey: key, Vote: &waE2E.PollEncValue{EncPayload: payload}}}
}
