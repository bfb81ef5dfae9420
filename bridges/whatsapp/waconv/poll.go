package waconv

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Poll limits of WhatsApp's clients.
const (
	MaxPollOptions = 12
)

// PollOptionID is the Matrix answer ID of a WhatsApp poll option. WhatsApp identifies options
// by the SHA-256 of their text, so the hex of that hash maps votes without any lookup table.
func PollOptionID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// pollCreation returns the poll in a message, if any (WhatsApp has three versions of it).
func pollCreation(msg *waE2E.Message) *waE2E.PollCreationMessage {
	for _, p := range []*waE2E.PollCreationMessage{msg.GetPollCreationMessage(), msg.GetPollCreationMessageV2(), msg.GetPollCreationMessageV3()} {
		if p != nil {
			return p
		}
	}
	return nil
}

// IsPoll reports whether a message creates a poll.
func IsPoll(msg *waE2E.Message) bool { return pollCreation(msg) != nil }

// PollToMatrix converts a WhatsApp poll into an MSC3381 poll start. options maps each Matrix
// answer ID to the option's text; the caller stores it with the message so votes can be mapped.
func PollToMatrix(msg *waE2E.Message) (part *bridgev2.ConvertedMessagePart, options map[string]string) {
	poll := pollCreation(msg)
	if poll == nil {
		return nil, nil
	}
	options = map[string]string{}
	start := event.PollStart{Kind: "org.matrix.msc3381.poll.disclosed", MaxSelections: int(poll.GetSelectableOptionsCount())}
	start.Question.Text = poll.GetName()
	fallback := []string{"Poll: " + poll.GetName()}
	for i, opt := range poll.GetOptions() {
		name := opt.GetOptionName()
		optID := PollOptionID(name)
		options[optID] = name
		answer := event.PollOption{ID: optID}
		answer.Text = name
		start.Answers = append(start.Answers, answer)
		fallback = append(fallback, fmt.Sprintf("%d. %s", i+1, name))
	}
	if start.MaxSelections <= 0 || start.MaxSelections > len(start.Answers) {
		start.MaxSelections = len(start.Answers)
	}
	text := strings.Join(fallback, "\n")
	return &bridgev2.ConvertedMessagePart{
		Type:    event.EventUnstablePollStart,
		Content: &event.MessageEventContent{MsgType: event.MsgText, Body: text},
		Extra: map[string]any{
			"org.matrix.msc3381.poll.start": start,
			"org.matrix.msc1767.text":       text,
		},
	}, options
}

// VoteToMatrix converts a decrypted WhatsApp vote (hashes of the chosen options) into an
// MSC3381 poll response to the poll event pollMXID. options is the poll's answer ID → text
// table. Unknown hashes are dropped; an empty list retracts the vote.
func VoteToMatrix(pollMXID id.EventID, selected [][]byte, options map[string]string) *bridgev2.ConvertedMessagePart {
	byHash := make(map[string]string, len(options))
	for optID, name := range options {
		byHash[PollOptionID(name)] = optID
	}
	answers := []string{}
	for _, hash := range selected {
		if optID, ok := byHash[hex.EncodeToString(hash)]; ok {
			answers = append(answers, optID)
		}
	}
	return &bridgev2.ConvertedMessagePart{
		Type:    event.EventUnstablePollResponse,
		Content: &event.MessageEventContent{RelatesTo: &event.RelatesTo{Type: event.RelReference, EventID: pollMXID}},
		Extra: map[string]any{
			"org.matrix.msc3381.poll.response": event.PollResponse{Answers: answers},
		},
	}
}

// PollFromMatrix reads an MSC3381 poll start: the question, the option texts in order, the
// answer ID → text table to store, and how many options a voter may pick.
func PollFromMatrix(content *event.PollStartEventContent) (question string, names []string, options map[string]string, maxSelections int, err error) {
	start := content.PollStart
	question = start.Question.GetText()
	if question == "" {
		return "", nil, nil, 0, fmt.Errorf("%w: the poll has no question", ErrUnsupported)
	}
	if n := len(start.Answers); n < 2 || n > MaxPollOptions {
		return "", nil, nil, 0, fmt.Errorf("%w: WhatsApp polls need 2 to %d options, this one has %d", ErrUnsupported, MaxPollOptions, n)
	}
	options = map[string]string{}
	seen := map[string]bool{}
	for _, a := range start.Answers {
		text := a.GetText()
		if text == "" || seen[text] {
			return "", nil, nil, 0, fmt.Errorf("%w: WhatsApp poll options must be non-empty and different", ErrUnsupported)
		}
		seen[text] = true
		names = append(names, text)
		options[a.ID] = text
	}
	maxSelections = start.MaxSelections
	if maxSelections <= 0 || maxSelections > len(names) {
		maxSelections = len(names)
	}
	return question, names, options, maxSelections, nil
}
