package connector

import (
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// Telegram polls are MSC3381 polls in Matrix. This file converts a Telegram poll to a poll
// start event; polls_sync.go bridges the account's own votes and a poll's end from Telegram,
// polls_voters.go other people's votes in public polls, polls_send.go sends Matrix polls and
// votes to Telegram.

// Telegram's limits on a poll (characters, answers).
const (
	minPollAnswers     = 2
	maxPollAnswers     = 10
	maxPollQuestionLen = 255
	maxPollAnswerLen   = 100
)

// pollStartPart converts a Telegram poll into a Matrix poll start event (tgconv.PollStart)
// that stores the poll with the message. It returns nil for other media.
func pollStartPart(media tg.MessageMediaClass) *bridgev2.ConvertedMessagePart {
	part, poll := tgconv.PollStart(media)
	if part != nil {
		part.DBMetadata = &MessageMetadata{Poll: &PollMetadata{Poll: *poll}}
	}
	return part
}
