package tgconv

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// MSC3381 poll kinds: "disclosed" shows the tally to those who voted, as Telegram does;
// "undisclosed" hides it until the poll ends.
const (
	PollDisclosed   = "org.matrix.msc3381.poll.disclosed"
	PollUndisclosed = "org.matrix.msc3381.poll.undisclosed"
)

// Poll is what the bridge remembers of a poll: which Telegram option each Matrix answer ID
// stands for, and what it last bridged of the account's own vote. The connector stores it with
// the poll's message (connector.PollMetadata): its JSON names are in users' databases and must
// not change.
type Poll struct {
	// ID is Telegram's poll ID (updates may name the poll by it alone).
	ID             int64        `json:"id,string"`
	Question       string       `json:"question"`
	Answers        []PollAnswer `json:"answers"`
	MultipleChoice bool         `json:"multiple_choice,omitempty"`
	Quiz           bool         `json:"quiz,omitempty"`
	// MyVote is the account's chosen answers (Matrix IDs, in answer order) as last bridged
	// either way, so an echo of a vote is not bridged back.
	MyVote []string `json:"my_vote,omitempty"`
	Closed bool     `json:"closed,omitempty"`
	// PublicVoters says members may list who voted for what; Votes is then each other voter's
	// choice (Matrix IDs, in answer order) as last bridged, by Telegram user ID.
	PublicVoters bool               `json:"public_voters,omitempty"`
	Votes        map[int64][]string `json:"votes,omitempty"`
}

// PollAnswer is one answer: its Matrix ID, its Telegram option bytes and its text.
type PollAnswer struct {
	ID     string `json:"id"`
	Option []byte `json:"option"`
	Text   string `json:"text"`
}

// PollStart converts a Telegram poll into a Matrix poll start event with a text fallback
// listing the answers, and the poll's data to store with the message for votes. It returns
// nil, nil for other media. Each answer's Matrix ID is its Telegram option in hex (or its
// position, when the option is missing or repeated).
func PollStart(media tg.MessageMediaClass) (*bridgev2.ConvertedMessagePart, *Poll) {
	m, ok := media.(*tg.MessageMediaPoll)
	if !ok {
		return nil, nil
	}
	poll := m.Poll
	question := strings.TrimSpace(poll.Question.Text)
	if question == "" {
		question = "(no question)"
	}
	meta := &Poll{ID: poll.ID, Question: question, MultipleChoice: poll.MultipleChoice, Quiz: poll.Quiz, Closed: poll.Closed, PublicVoters: poll.PublicVoters}
	start := event.PollStart{Kind: PollDisclosed, MaxSelections: 1, Question: event.MSC1767Message{Text: question}}
	if poll.HideResultsUntilClose {
		start.Kind = PollUndisclosed
	}
	seen := map[string]bool{}
	for i, a := range poll.Answers {
		if a == nil {
			continue
		}
		text := strings.TrimSpace(a.GetText().Text)
		if text == "" {
			text = fmt.Sprintf("Option %d", i+1)
		}
		var option []byte
		if pa, ok := a.(*tg.PollAnswer); ok {
			option = pa.Option
		}
		answerID := hex.EncodeToString(option)
		if answerID == "" || seen[answerID] {
			answerID = "answer-" + strconv.Itoa(i) // hex has no "-": never a clash
		}
		seen[answerID] = true
		meta.Answers = append(meta.Answers, PollAnswer{ID: answerID, Option: option, Text: text})
		start.Answers = append(start.Answers, event.PollOption{ID: answerID, MSC1767Message: event.MSC1767Message{Text: text}})
	}
	if poll.MultipleChoice && len(start.Answers) > 1 {
		start.MaxSelections = len(start.Answers)
	}
	body := pollFallback(meta)
	return &bridgev2.ConvertedMessagePart{
		Type:    event.EventUnstablePollStart,
		Content: &event.MessageEventContent{Body: body},
		Extra: map[string]any{
			"org.matrix.msc3381.poll.start": start,
			"org.matrix.msc1767.text":       body,
		},
	}, meta
}

// pollFallback is the poll as text, for clients that do not show polls.
func pollFallback(meta *Poll) string {
	var b strings.Builder
	kind := "Poll"
	if meta.Quiz {
		kind = "Quiz"
	}
	fmt.Fprintf(&b, "%s: %s", kind, meta.Question)
	for i, a := range meta.Answers {
		fmt.Fprintf(&b, "\n%d. %s", i+1, a.Text)
	}
	switch {
	case meta.Closed:
		b.WriteString("\n(This poll is closed.)")
	case meta.MultipleChoice:
		b.WriteString("\n(Several answers may be chosen.)")
	}
	return b.String()
}

// Chosen returns the answers the account chose according to Telegram's results, in answer
// order. known is false when the results do not say (Telegram's "min" results leave the
// account's choice out).
func (p *Poll) Chosen(results tg.PollResults) (answers []string, known bool) {
	if results.Min {
		return nil, false
	}
	for _, a := range p.Answers {
		for _, r := range results.Results {
			if r.Chosen && len(a.Option) > 0 && string(r.Option) == string(a.Option) {
				answers = append(answers, a.ID)
				break
			}
		}
	}
	return answers, true
}

// ResultsText describes a poll's final tally on Telegram.
func (p *Poll) ResultsText(results tg.PollResults) string {
	intro := "The poll has ended."
	if p.Question != "" {
		intro = fmt.Sprintf("The poll %q has ended.", p.Question)
	}
	if len(results.Results) == 0 {
		return intro + " Telegram did not share the results."
	}
	tally := make([]string, 0, len(p.Answers))
	for _, a := range p.Answers {
		votes, correct := 0, false
		for _, r := range results.Results {
			if len(a.Option) > 0 && string(r.Option) == string(a.Option) {
				votes, correct = r.Voters, r.Correct
				break
			}
		}
		mark := ""
		if correct {
			mark = " ✓"
		}
		tally = append(tally, fmt.Sprintf("%s%s: %d", a.Text, mark, votes))
	}
	voters := "voters"
	if results.TotalVoters == 1 {
		voters = "voter"
	}
	return fmt.Sprintf("%s Results on Telegram: %s (%d %s).", intro, strings.Join(tally, ", "), results.TotalVoters, voters)
}

// PollResponsePart is a poll response (vote) for the poll start event pollEvent; no answers
// takes the vote back.
func PollResponsePart(pollEvent id.EventID, answers []string) *bridgev2.ConvertedMessagePart {
	return &bridgev2.ConvertedMessagePart{
		Type:    event.EventUnstablePollResponse,
		Content: &event.MessageEventContent{RelatesTo: &event.RelatesTo{Type: event.RelReference, EventID: pollEvent}},
		Extra: map[string]any{
			"org.matrix.msc3381.poll.response": event.PollResponse{Answers: append([]string{}, answers...)},
		},
	}
}

// PollEndParts are the end of the poll pollEvent (MSC3381 poll end, whose fallback gives the
// results) and a notice with Telegram's tally, which poll-aware clients do not show otherwise:
// they count only the votes bridged to Matrix.
func PollEndParts(pollEvent id.EventID, text string) []*bridgev2.ConvertedMessagePart {
	notice := &event.MessageEventContent{MsgType: event.MsgNotice, Body: text}
	notice.RelatesTo = (&event.RelatesTo{}).SetReplyTo(pollEvent)
	return []*bridgev2.ConvertedMessagePart{{
		Type:    event.EventUnstablePollEnd,
		Content: &event.MessageEventContent{Body: text, RelatesTo: &event.RelatesTo{Type: event.RelReference, EventID: pollEvent}},
		Extra: map[string]any{
			"org.matrix.msc3381.poll.end": map[string]any{},
			"org.matrix.msc1767.text":     text,
		},
	}, {
		ID:      "results",
		Type:    event.EventMessage,
		Content: notice,
	}}
}
