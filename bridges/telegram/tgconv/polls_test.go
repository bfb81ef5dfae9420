package tgconv

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

// tgPoll builds a Telegram poll with the given answers, whose options are "a0", "a1", ...
func tgPoll(question string, answers ...string) tg.Poll {
	p := tg.Poll{ID: 77, Question: tg.TextWithEntities{Text: question}}
	for i, a := range answers {
		p.Answers = append(p.Answers, &tg.PollAnswer{Text: tg.TextWithEntities{Text: a}, Option: []byte{'a', byte('0' + i)}})
	}
	return p
}

// pollStartOf reads back the poll start a part carries, as a Matrix client would.
func pollStartOf(t *testing.T, part *bridgev2.ConvertedMessagePart) event.PollStart {
	t.Helper()
	raw, err := json.Marshal(&event.Content{Parsed: part.Content, Raw: part.Extra})
	if err != nil {
		t.Fatal(err)
	}
	var content event.PollStartEventContent
	if err = json.Unmarshal(raw, &content); err != nil {
		t.Fatal(err)
	}
	return content.PollStart
}

func TestPollStartPart(t *testing.T) {
	multi := tgPoll("Which days?", "Mon", "Tue", "Wed")
	multi.MultipleChoice = true
	quiz := tgPoll("2+2?", "4", "5")
	quiz.Quiz = true
	closed := tgPoll("Lunch?", "Pizza", "Salad")
	closed.Closed = true
	hidden := tgPoll("Secret?", "Yes", "No")
	hidden.HideResultsUntilClose = true
	odd := tg.Poll{Question: tg.TextWithEntities{Text: "  "}, Answers: []tg.PollAnswerClass{
		&tg.PollAnswer{Text: tg.TextWithEntities{Text: "same"}, Option: []byte{1}},
		&tg.PollAnswer{Text: tg.TextWithEntities{Text: "again"}, Option: []byte{1}},
		&tg.PollAnswer{Text: tg.TextWithEntities{Text: ""}},
		&tg.InputPollAnswer{Text: tg.TextWithEntities{Text: "input"}},
	}}
	tests := []struct {
		name     string
		poll     tg.Poll
		kind     string
		max      int
		ids      []string
		answers  []string
		body     string
		question string
	}{
		{"simple", tgPoll("Lunch?", "Pizza", "Salad"), PollDisclosed, 1, []string{"6130", "6131"}, []string{"Pizza", "Salad"},
			"Poll: Lunch?\n1. Pizza\n2. Salad", "Lunch?"},
		{"multiple choice", multi, PollDisclosed, 3, []string{"6130", "6131", "6132"}, []string{"Mon", "Tue", "Wed"},
			"Poll: Which days?\n1. Mon\n2. Tue\n3. Wed\n(Several answers may be chosen.)", "Which days?"},
		{"quiz", quiz, PollDisclosed, 1, []string{"6130", "6131"}, []string{"4", "5"}, "Quiz: 2+2?\n1. 4\n2. 5", "2+2?"},
		{"closed", closed, PollDisclosed, 1, []string{"6130", "6131"}, []string{"Pizza", "Salad"},
			"Poll: Lunch?\n1. Pizza\n2. Salad\n(This poll is closed.)", "Lunch?"},
		{"results hidden until closed", hidden, PollUndisclosed, 1, []string{"6130", "6131"}, []string{"Yes", "No"},
			"Poll: Secret?\n1. Yes\n2. No", "Secret?"},
		{"repeated, missing options and texts", odd, PollDisclosed, 1, []string{"01", "answer-1", "answer-2", "answer-3"},
			[]string{"same", "again", "Option 3", "input"}, "Poll: (no question)\n1. same\n2. again\n3. Option 3\n4. input", "(no question)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			part, meta := PollStart(&tg.MessageMediaPoll{Poll: tt.poll})
			if part == nil {
				t.Fatal("no part")
			}
			if part.Type != event.EventUnstablePollStart || part.Content.Body != tt.body || part.Extra["org.matrix.msc1767.text"] != tt.body {
				t.Errorf("got %s %q, want a poll start with body %q", part.Type.Type, part.Content.Body, tt.body)
			}
			start := pollStartOf(t, part)
			var ids, texts []string
			for _, a := range start.Answers {
				ids, texts = append(ids, a.ID), append(texts, a.GetText())
			}
			if start.Kind != tt.kind || start.MaxSelections != tt.max || start.Question.GetText() != tt.question ||
				!slices.Equal(ids, tt.ids) || !slices.Equal(texts, tt.answers) {
				t.Errorf("poll start = %+v, want %s, max %d, %q, IDs %q, answers %q", start, tt.kind, tt.max, tt.question, tt.ids, tt.answers)
			}
			if meta == nil || len(meta.Answers) != len(tt.ids) || meta.Closed != tt.poll.Closed || meta.MultipleChoice != tt.poll.MultipleChoice {
				t.Fatalf("metadata = %+v", meta)
			}
			for i, a := range meta.Answers {
				if a.ID != tt.ids[i] {
					t.Errorf("metadata answer %d = %q, want %q", i, a.ID, tt.ids[i])
				}
			}
		})
	}
	for _, media := range []tg.MessageMediaClass{nil, &tg.MessageMediaEmpty{}, &tg.MessageMediaDice{Value: 1}} {
		if part, poll := PollStart(media); part != nil || poll != nil {
			t.Errorf("%T: got a poll part", media)
		}
	}
}

func TestPollChosenAndResults(t *testing.T) {
	_, meta := PollStart(&tg.MessageMediaPoll{Poll: tgPoll("Lunch?", "Pizza", "Salad", "Soup")})
	voters := func(option string, n int, chosen, correct bool) tg.PollAnswerVoters {
		return tg.PollAnswerVoters{Option: []byte(option), Voters: n, Chosen: chosen, Correct: correct}
	}
	tests := []struct {
		name    string
		results tg.PollResults
		chosen  []string
		known   bool
		text    string
	}{
		{"one chosen", tg.PollResults{TotalVoters: 3, Results: []tg.PollAnswerVoters{voters("a0", 1, false, false), voters("a1", 2, true, false)}},
			[]string{"6131"}, true, `The poll "Lunch?" has ended. Results on Telegram: Pizza: 1, Salad: 2, Soup: 0 (3 voters).`},
		{"several chosen, answer order", tg.PollResults{TotalVoters: 1, Results: []tg.PollAnswerVoters{voters("a2", 1, true, false), voters("a0", 1, true, true)}},
			[]string{"6130", "6132"}, true, `The poll "Lunch?" has ended. Results on Telegram: Pizza ✓: 1, Salad: 0, Soup: 1 (1 voter).`},
		{"unknown option", tg.PollResults{Results: []tg.PollAnswerVoters{voters("zz", 4, true, false)}},
			nil, true, `The poll "Lunch?" has ended. Results on Telegram: Pizza: 0, Salad: 0, Soup: 0 (0 voters).`},
		{"no results: not voted", tg.PollResults{}, nil, true, `The poll "Lunch?" has ended. Telegram did not share the results.`},
		{"min results say nothing of ours", tg.PollResults{Min: true, Results: []tg.PollAnswerVoters{voters("a0", 1, true, false)}},
			nil, false, `The poll "Lunch?" has ended. Results on Telegram: Pizza: 1, Salad: 0, Soup: 0 (0 voters).`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chosen, known := meta.Chosen(tt.results)
			if !slices.Equal(chosen, tt.chosen) || known != tt.known {
				t.Errorf("chosen = %q, %v; want %q, %v", chosen, known, tt.chosen, tt.known)
			}
			if got := meta.ResultsText(tt.results); got != tt.text {
				t.Errorf("results text = %q\nwant %q", got, tt.text)
			}
		})
	}
}

func TestPollResponseAndEndParts(t *testing.T) {
	resp := PollResponsePart("$poll", nil)
	raw, err := json.Marshal(&event.Content{Parsed: resp.Content, Raw: resp.Extra})
	if err != nil {
		t.Fatal(err)
	}
	// Taking a vote back is an empty list, not a missing one.
	if !strings.Contains(string(raw), `"org.matrix.msc3381.poll.response":{"answers":[]}`) ||
		!strings.Contains(string(raw), `"rel_type":"m.reference"`) || resp.Type != event.EventUnstablePollResponse {
		t.Errorf("response = %s", raw)
	}
	parts := PollEndParts("$poll", "The poll has ended.")
	if len(parts) != 2 || parts[0].Type != event.EventUnstablePollEnd || parts[0].Content.RelatesTo.EventID != "$poll" ||
		parts[1].Content.MsgType != event.MsgNotice || parts[1].Content.RelatesTo.GetReplyTo() != "$poll" || parts[0].ID == parts[1].ID {
		t.Errorf("end parts = %+v", parts)
	}
}

// FuzzPollStartPart feeds arbitrary TL-encoded media to the poll converter: it must never
// panic, and a poll must become a poll start with a body, at least one selection and unique,
// non-empty answer IDs that match the stored metadata.
func FuzzPollStartPart(f *testing.F) {
	multi := tgPoll("q", "a", "b")
	multi.MultipleChoice = true
	for _, seed := range []tg.MessageMediaClass{
		&tg.MessageMediaPoll{Poll: tgPoll("Lunch?", "Pizza", "Salad")},
		&tg.MessageMediaPoll{Poll: multi},
		&tg.MessageMediaPoll{Poll: tg.Poll{Answers: []tg.PollAnswerClass{&tg.InputPollAnswer{}, &tg.PollAnswer{}}}},
		&tg.MessageMediaDice{Value: 1},
	} {
		addTL(f, seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		media, err := tg.DecodeMessageMedia(&bin.Buffer{Buf: data})
		if err != nil {
			return
		}
		part, meta := PollStart(media)
		if _, isPoll := media.(*tg.MessageMediaPoll); isPoll != (part != nil) {
			t.Fatalf("%T gave part %v", media, part)
		}
		if part == nil {
			return
		}
		start := pollStartOf(t, part)
		if part.Content.Body == "" || start.Question.GetText() == "" || start.MaxSelections < 1 || meta == nil || len(meta.Answers) != len(start.Answers) {
			t.Fatalf("bad poll start %+v (metadata %+v)", start, meta)
		}
		seen := map[string]bool{}
		for i, a := range start.Answers {
			if a.ID == "" || seen[a.ID] || a.ID != meta.Answers[i].ID || a.GetText() == "" {
				t.Fatalf("answer %d: %+v (IDs so far %v)", i, a, seen)
			}
			seen[a.ID] = true
		}
	})
}

// FuzzPollResults feeds arbitrary TL results to a poll: the account's choice is known unless
// the results are "min", and is then answers of the poll in its order, each once; the
// results text always says the poll ended.
func FuzzPollResults(f *testing.F) {
	seeds := []tg.PollResults{
		{TotalVoters: 3, Results: []tg.PollAnswerVoters{{Option: []byte("a0"), Voters: 1, Chosen: true}, {Option: []byte("a1"), Voters: 2, Correct: true}}},
		{Min: true, Results: []tg.PollAnswerVoters{{Option: []byte("a0"), Chosen: true}}},
		{},
	}
	for _, seed := range seeds {
		seed.SetFlags()
		var b bin.Buffer
		if err := seed.Encode(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Raw(), "Lunch?")
	}
	f.Fuzz(func(t *testing.T, data []byte, question string) {
		var results tg.PollResults
		if err := results.Decode(&bin.Buffer{Buf: data}); err != nil {
			return
		}
		_, meta := PollStart(&tg.MessageMediaPoll{Poll: tgPoll(question, "Pizza", "Salad", "Soup", "Pizza")})
		chosen, known := meta.Chosen(results)
		if known == results.Min || (results.Min && chosen != nil) {
			t.Fatalf("min %v gave %q, %v", results.Min, chosen, known)
		}
		next := 0
		for _, id := range chosen {
			i := slices.IndexFunc(meta.Answers[next:], func(a PollAnswer) bool { return a.ID == id })
			if i < 0 {
				t.Fatalf("chosen %q: not an answer after %d, or out of order", chosen, next)
			}
			next += i + 1
		}
		if text := meta.ResultsText(results); !strings.HasPrefix(text, "The poll ") || !strings.Contains(text, "has ended.") {
			t.Errorf("results text %q", text)
		}
	})
}
