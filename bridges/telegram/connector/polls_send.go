package connector

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

var _ bridgev2.PollHandlingNetworkAPI = (*Client)(nil)

// HandleMatrixPollStart sends a Matrix poll to Telegram. A poll Telegram would refuse (fewer
// than 2 or more than 10 answers, a question or answer too long, an empty one) is refused
// with a notice before anything is sent.
func (tc *Client) HandleMatrixPollStart(ctx context.Context, msg *bridgev2.MatrixPollStart) (_ *bridgev2.MatrixMessageResponse, sendErr error) {
	defer metrics.Sent("poll", time.Now(), &sendErr)
	poll, meta, err := telegramPoll(&msg.Content.PollStart)
	if err != nil {
		return nil, pollFailed("The poll could not be sent to Telegram: %w", err)
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return nil, err
	}
	randID := randomID()
	req := &tg.MessagesSendMediaRequest{Peer: peer, Media: &tg.InputMediaPoll{Poll: *poll}, RandomID: randID}
	if reply := tgconv.InputReplyTo(&msg.MatrixMessage); reply != nil {
		req.SetReplyTo(reply)
	}
	updates, err := api.MessagesSendMedia(ctx, req)
	if err != nil {
		return nil, notAccepted("poll", err)
	}
	resp, err := tc.sent(ctx, msg.Portal, updates, randID)
	if err != nil {
		return nil, err
	}
	msgID, _ := sentMessageID(updates, randID)
	adoptSentPoll(meta, updates, msgID)
	tc.rememberPoll(ctx, meta.ID, resp.DB.ID)
	resp.DB.Metadata = &MessageMetadata{Poll: meta}
	return resp, nil
}

// telegramPoll checks a Matrix poll against Telegram's limits and builds the Telegram poll,
// with the answers' options numbered "0", "1", ... as Telegram's apps do.
func telegramPoll(start *event.PollStart) (*tg.Poll, *PollMetadata, error) {
	question := strings.TrimSpace(start.Question.GetText())
	switch n := utf8.RuneCountInString(question); {
	case n == 0:
		return nil, nil, errors.New("it has no question")
	case n > maxPollQuestionLen:
		return nil, nil, fmt.Errorf("its question is %d characters long; Telegram allows %d", n, maxPollQuestionLen)
	}
	if n := len(start.Answers); n < minPollAnswers || n > maxPollAnswers {
		return nil, nil, fmt.Errorf("it has %d answers; Telegram polls have %d to %d", n, minPollAnswers, maxPollAnswers)
	}
	poll := &tg.Poll{ID: randomID(), Question: tg.TextWithEntities{Text: question}}
	meta := &PollMetadata{Poll: tgconv.Poll{Question: question}}
	seen := map[string]bool{}
	for i, a := range start.Answers {
		text := strings.TrimSpace(a.GetText())
		switch n := utf8.RuneCountInString(text); {
		case a.ID == "" || seen[a.ID]:
			return nil, nil, fmt.Errorf("answer %d has a missing or repeated ID", i+1)
		case n == 0:
			return nil, nil, fmt.Errorf("answer %d is empty", i+1)
		case n > maxPollAnswerLen:
			return nil, nil, fmt.Errorf("answer %d is %d characters long; Telegram allows %d", i+1, n, maxPollAnswerLen)
		}
		seen[a.ID] = true
		option := []byte(strconv.Itoa(i))
		poll.Answers = append(poll.Answers, &tg.PollAnswer{Text: tg.TextWithEntities{Text: text}, Option: option})
		meta.Answers = append(meta.Answers, PollAnswerMetadata{ID: a.ID, Option: option, Text: text})
	}
	if start.MaxSelections > 1 {
		poll.SetMultipleChoice(true)
		meta.MultipleChoice = true
	}
	meta.ID = poll.ID
	return poll, meta, nil
}

// adoptSentPoll takes Telegram's poll ID and options from its answer to sendMedia, when the
// answer carries the new message: Telegram may number them its own way.
func adoptSentPoll(meta *PollMetadata, updates tg.UpdatesClass, msgID int) {
	u, ok := updates.(*tg.Updates)
	if !ok {
		return
	}
	for _, upd := range u.Updates {
		nm, ok := upd.(*tg.UpdateNewMessage)
		if !ok {
			continue
		}
		m, ok := nm.Message.(*tg.Message)
		if !ok || m.ID != msgID {
			continue
		}
		media, ok := m.Media.(*tg.MessageMediaPoll)
		if !ok {
			return
		}
		meta.ID = media.Poll.ID
		if len(media.Poll.Answers) != len(meta.Answers) {
			return
		}
		for i, a := range media.Poll.Answers {
			if pa, ok := a.(*tg.PollAnswer); ok && len(pa.Option) > 0 {
				meta.Answers[i].Option = pa.Option
			}
		}
		return
	}
}

// HandleMatrixPollVote sends the Matrix user's vote (or, with no answers, its withdrawal) on a
// bridged poll. As MSC3381 says, only the first answer counts in a single-choice poll; an
// answer the poll does not have is refused with a notice.
func (tc *Client) HandleMatrixPollVote(ctx context.Context, msg *bridgev2.MatrixPollVote) (_ *bridgev2.MatrixMessageResponse, sendErr error) {
	defer metrics.Sent("poll_vote", time.Now(), &sendErr)
	meta := pollMetadataOf(msg.VoteTo.Metadata)
	switch {
	case meta == nil:
		return nil, pollFailed("The vote could not be sent to Telegram: the bridge does not know that poll's answers")
	case meta.Closed:
		return nil, pollFailed("The vote could not be sent to Telegram: the poll is closed")
	}
	_, msgID, err := ids.ParseMessageID(msg.VoteTo.ID)
	if err != nil {
		return nil, err
	}
	answers := msg.Content.Response.Answers
	if !meta.MultipleChoice && len(answers) > 1 {
		answers = answers[:1]
	}
	chosen, options, err := meta.optionsFor(answers)
	if err != nil {
		return nil, pollFailed("The vote could not be sent to Telegram: %w", err)
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return nil, err
	}
	res, err := api.MessagesSendVote(ctx, &tg.MessagesSendVoteRequest{Peer: peer, MsgID: msgID, Options: options})
	if err != nil {
		return nil, notAccepted("vote", err)
	}
	meta.MyVote = chosen
	if err = tc.conn.Bridge.DB.Message.Update(ctx, msg.VoteTo); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to save the vote with its poll")
	}
	// Telegram answers with the poll's new results, and only there: handled like any update,
	// they show (after this vote) who else voted in a public poll, which Telegram lists only
	// to those who voted.
	tc.absorb(ctx, res)
	return &bridgev2.MatrixMessageResponse{DB: &database.Message{
		ID:        ids.PollVoteID(msg.VoteTo.ID, string(msg.Event.ID)),
		SenderID:  networkidOfLogin(tc),
		Timestamp: time.UnixMilli(msg.Event.Timestamp),
	}}, nil
}

// optionsFor maps Matrix answer IDs to the poll's Telegram options, returning the chosen
// answers in the poll's order without repeats.
func (p *PollMetadata) optionsFor(answerIDs []string) (chosen []string, options [][]byte, err error) {
	want := map[string]bool{}
	for _, id := range answerIDs {
		if !slices.ContainsFunc(p.Answers, func(a PollAnswerMetadata) bool { return a.ID == id }) {
			return nil, nil, fmt.Errorf("the poll has no answer %q", id)
		}
		want[id] = true
	}
	for _, a := range p.Answers {
		if want[a.ID] {
			if len(a.Option) == 0 {
				return nil, nil, fmt.Errorf("Telegram gave the answer %q no option to vote for", a.Text)
			}
			chosen = append(chosen, a.ID)
			options = append(options, a.Option)
		}
	}
	return chosen, options, nil
}
