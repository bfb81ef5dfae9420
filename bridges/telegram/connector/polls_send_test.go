package connector

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// matrixPoll is a Matrix poll start with answers "a", "b", ... named id0, id1, ...
func matrixPoll(question string, maxSelections int, answers ...string) *event.PollStart {
	p := &event.PollStart{Kind: tgconv.PollDisclosed, MaxSelections: maxSelections, Question: event.MSC1767Message{Text: question}}
	for i, a := range answers {
		p.Answers = append(p.Answers, event.PollOption{ID: fmt.Sprintf("id%d", i), MSC1767Message: event.MSC1767Message{Text: a}})
	}
	return p
}

func TestTelegramPoll(t *testing.T) {
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf("answer %d", i)
	}
	repeated := matrixPoll("Q?", 1, "a", "b")
	repeated.Answers[1].ID = "id0"
	tests := []struct {
		name     string
		start    *event.PollStart
		multiple bool
		err      string
	}{
		{"valid", matrixPoll(" Lunch? ", 1, "Pizza", " Salad "), false, ""},
		{"several answers allowed", matrixPoll("Days?", 3, "Mon", "Tue", "Wed"), true, ""},
		{"ten answers", matrixPoll("Q?", 1, eleven[:10]...), false, ""},
		{"one answer", matrixPoll("Q?", 1, "only"), false, "it has 1 answers; Telegram polls have 2 to 10"},
		{"eleven answers", matrixPoll("Q?", 1, eleven...), false, "it has 11 answers"},
		{"no question", matrixPoll("  ", 1, "a", "b"), false, "it has no question"},
		{"long question", matrixPoll(strings.Repeat("q", 256), 1, "a", "b"), false, "its question is 256 characters long; Telegram allows 255"},
		{"long answer", matrixPoll("Q?", 1, "a", strings.Repeat("é", 101)), false, "answer 2 is 101 characters long; Telegram allows 100"},
		{"empty answer", matrixPoll("Q?", 1, "a", " "), false, "answer 2 is empty"},
		{"repeated answer ID", repeated, false, "answer 2 has a missing or repeated ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			poll, meta, err := telegramPoll(tt.start)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if poll.Question.Text != strings.TrimSpace(tt.start.Question.Text) || poll.MultipleChoice != tt.multiple || meta.MultipleChoice != tt.multiple ||
				len(poll.Answers) != len(tt.start.Answers) || len(meta.Answers) != len(poll.Answers) || meta.ID != poll.ID {
				t.Fatalf("poll = %+v, metadata %+v", poll, meta)
			}
			for i, a := range poll.Answers {
				pa := a.(*tg.PollAnswer)
				want := PollAnswerMetadata{ID: tt.start.Answers[i].ID, Option: []byte(fmt.Sprint(i)), Text: strings.TrimSpace(tt.start.Answers[i].Text)}
				if pa.Text.Text != want.Text || string(pa.Option) != string(want.Option) || meta.Answers[i].ID != want.ID || string(meta.Answers[i].Option) != string(want.Option) {
					t.Errorf("answer %d = %q %q (metadata %+v), want %+v", i, pa.Text.Text, pa.Option, meta.Answers[i], want)
				}
			}
		})
	}
}

func TestPollOptionsFor(t *testing.T) {
	meta := &PollMetadata{Poll: tgconv.Poll{Answers: []PollAnswerMetadata{{ID: "x", Option: []byte{0xF0}}, {ID: "y", Option: []byte("1")}, {ID: "z"}}}}
	tests := []struct {
		name    string
		answers []string
		chosen  []string
		options [][]byte
		err     string
	}{
		{"one", []string{"y"}, []string{"y"}, [][]byte{[]byte("1")}, ""},
		{"poll order, no repeats", []string{"y", "x", "y"}, []string{"x", "y"}, [][]byte{{0xF0}, []byte("1")}, ""},
		{"take back", nil, nil, nil, ""},
		{"unknown answer", []string{"x", "nope"}, nil, nil, `the poll has no answer "nope"`},
		{"answer without option", []string{"z"}, nil, nil, "no option to vote for"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chosen, options, err := meta.optionsFor(tt.answers)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(chosen, tt.chosen) || !slices.EqualFunc(options, tt.options, slices.Equal) {
				t.Errorf("got %q %q %v, want %q %q", chosen, options, err, tt.chosen, tt.options)
			}
		})
	}
}

func TestAdoptSentPoll(t *testing.T) {
	sent := func(msgID int, options ...string) tg.UpdatesClass {
		poll := tg.Poll{ID: 900}
		for _, o := range options {
			poll.Answers = append(poll.Answers, &tg.PollAnswer{Option: []byte(o)})
		}
		msg := &tg.Message{ID: msgID, Media: &tg.MessageMediaPoll{Poll: poll}}
		return &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdateMessageID{ID: msgID}, &tg.UpdateNewMessage{Message: msg}}}
	}
	tests := []struct {
		name    string
		updates tg.UpdatesClass
		id      int64
		options []string
	}{
		{"Telegram's numbering wins", sent(5, "A", "B"), 900, []string{"A", "B"}},
		{"another message", sent(6, "A", "B"), 1, []string{"0", "1"}},
		{"answer count differs", sent(5, "A"), 900, []string{"0", "1"}},
		{"short answer", &tg.UpdateShortSentMessage{ID: 5}, 1, []string{"0", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta := &PollMetadata{Poll: tgconv.Poll{ID: 1, Answers: []PollAnswerMetadata{{ID: "a", Option: []byte("0")}, {ID: "b", Option: []byte("1")}}}}
			adoptSentPoll(meta, tt.updates, 5)
			got := []string{string(meta.Answers[0].Option), string(meta.Answers[1].Option)}
			if meta.ID != tt.id || !slices.Equal(got, tt.options) {
				t.Errorf("got ID %d options %q, want %d %q", meta.ID, got, tt.id, tt.options)
			}
		})
	}
}
