package waconv_test

import (
	"crypto/sha256"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// FuzzPollRoundTrip: any Matrix poll start (options separated by "|") is either refused as
// unsupported or read into 2 to MaxPollOptions distinct, non-empty option texts with a valid
// selection count. Sent to WhatsApp and back, it is the same poll: question, options in order,
// answer IDs that are PollOptionID of the text, a fallback text that names them (bounded, valid
// UTF-8); a vote for any options maps back to exactly their answer IDs, unknown hashes dropped.
func FuzzPollRoundTrip(f *testing.F) {
	seeds := []struct {
		question, options string
		maxSelections     int
		votes             uint16
	}{
		{"Lunch?", "Pizza|Sushi", 1, 1},
		{"Pick any", "a|b|c|d", 0, 0b1011},
		{"", "a|b", 1, 0},
		{"One", "only", 1, 1},
		{"Same", "x|x", 1, 1},
		{"Empty", "a||b", 1, 1},
		{"Many", strings.Repeat("o|", 12) + "o13", 2, 0xffff},
		{"Too many picks", "a|b|c", 9, 0b111},
		{"\xff\x00", "\xff|\x00|<b>", -3, 0b100},
	}
	for _, s := range seeds {
		f.Add(s.question, s.options, s.maxSelections, s.votes)
	}
	f.Fuzz(func(t *testing.T, question, options string, maxSelections int, votes uint16) {
		start := &event.PollStartEventContent{}
		start.PollStart.Question.Text = question
		start.PollStart.MaxSelections = maxSelections
		for i, text := range strings.Split(options, "|") {
			answer := event.PollOption{ID: "opt" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)}
			answer.Text = text
			start.PollStart.Answers = append(start.PollStart.Answers, answer)
		}
		q, names, table, picks, err := waconv.PollFromMatrix(start)
		if err != nil {
			if !strings.Contains(err.Error(), "WhatsApp") && !strings.Contains(err.Error(), "question") {
				t.Fatalf("refusal %q does not say why", err)
			}
			if len(err.Error()) > 200 {
				t.Fatalf("refusal is %d bytes", len(err.Error()))
			}
			return
		}
		if q != question || q == "" {
			t.Fatalf("question %q read as %q", question, q)
		}
		if len(names) < 2 || len(names) > waconv.MaxPollOptions || len(table) != len(names) {
			t.Fatalf("%d options, table of %d", len(names), len(table))
		}
		for i, name := range names {
			if name == "" || slices.Contains(names[:i], name) || table[start.PollStart.Answers[i].ID] != name {
				t.Fatalf("option %d %q is empty, repeated or not in the table %v", i, name, table)
			}
		}
		if picks < 1 || picks > len(names) {
			t.Fatalf("max selections %d for %d options", picks, len(names))
		}

		// WhatsApp sends the poll back as it was created.
		creation := &waE2E.PollCreationMessage{Name: proto.String(q), SelectableOptionsCount: proto.Uint32(uint32(picks))}
		for _, name := range names {
			creation.Options = append(creation.Options, &waE2E.PollCreationMessage_Option{OptionName: proto.String(name)})
		}
		msg := &waE2E.Message{PollCreationMessageV3: creation}
		if !waconv.IsPoll(msg) {
			t.Fatal("poll is not a poll")
		}
		part, back := waconv.PollToMatrix(msg)
		if part == nil || part.Content == nil || part.Type != event.EventUnstablePollStart {
			t.Fatalf("PollToMatrix = %+v", part)
		}
		got, ok := part.Extra["org.matrix.msc3381.poll.start"].(event.PollStart)
		if !ok || got.Question.Text != q || got.MaxSelections != picks || len(got.Answers) != len(names) {
			t.Fatalf("poll came back as %+v", part.Extra)
		}
		for i, a := range got.Answers {
			if a.Text != names[i] || a.ID != waconv.PollOptionID(names[i]) || back[a.ID] != names[i] {
				t.Fatalf("answer %d = %+v, want %q", i, a, names[i])
			}
		}
		body := part.Content.Body
		if !strings.HasPrefix(body, "Poll: "+q) || len(body) > len(q)+len(options)+8*len(names)+16 {
			t.Fatalf("fallback %q for question %q and options %q", body, q, options)
		}
		if utf8.ValidString(question) && utf8.ValidString(options) && !utf8.ValidString(body) {
			t.Fatalf("fallback %q is not valid UTF-8", body)
		}

		// A vote for some options, plus a hash of nothing in the poll.
		var selected [][]byte
		var want []string
		for i, name := range names {
			if votes&(1<<i) != 0 {
				sum := sha256.Sum256([]byte(name))
				selected = append(selected, sum[:])
				want = append(want, waconv.PollOptionID(name))
			}
		}
		if votes&(1<<15) != 0 {
			selected = append(selected, []byte("not a hash"))
		}
		vote := waconv.VoteToMatrix("$poll", selected, back)
		resp, ok := vote.Extra["org.matrix.msc3381.poll.response"].(event.PollResponse)
		if !ok || vote.Content.RelatesTo == nil || vote.Content.RelatesTo.EventID != "$poll" {
			t.Fatalf("VoteToMatrix = %+v", vote)
		}
		if !slices.Equal(resp.Answers, want) && !(len(want) == 0 && len(resp.Answers) == 0) {
			t.Fatalf("vote for %v came back as %v", want, resp.Answers)
		}
	})
}
