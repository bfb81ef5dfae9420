//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// sentBy is the next thing the session's account sent to Telegram, which must be of kind;
// other accounts' sends are skipped.
func sentBy(t *testing.T, s *session, kind string) tgfake.Sent {
	t.Helper()
	for {
		got, err := net.WaitSent(matrixtest.DefaultTimeout)
		if err != nil {
			t.Fatal(err)
		}
		if got.From != s.acct.User.ID {
			continue
		}
		if got.Kind != kind {
			t.Fatalf("Telegram got a %s (%+v), want a %s", got.Kind, got, kind)
		}
		return got
	}
}

// pollStartFrom matches a poll start by sender asking question.
func pollStartFrom(sender id.UserID, question string) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		c, ok := x.Event.Content.Parsed.(*event.PollStartEventContent)
		return ok && x.Event.Type == event.EventUnstablePollStart && x.Event.Sender == sender && c.PollStart.Question.GetText() == question
	}
}

// pollResponseFrom matches a vote by sender on poll for exactly answers.
func pollResponseFrom(sender id.UserID, poll id.EventID, answers ...string) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		c, ok := x.Event.Content.Parsed.(*event.PollResponseEventContent)
		return ok && x.Event.Type == event.EventUnstablePollResponse && x.Event.Sender == sender &&
			c.RelatesTo.Type == event.RelReference && c.RelatesTo.EventID == poll && slices.Equal(c.Response.Answers, answers)
	}
}

// pollEndFrom matches the end of poll by sender.
func pollEndFrom(sender id.UserID, poll id.EventID) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		rel, _ := x.Event.Content.Raw["m.relates_to"].(map[string]any)
		_, hasEnd := x.Event.Content.Raw["org.matrix.msc3381.poll.end"]
		return x.Event.Type == event.EventUnstablePollEnd && x.Event.Sender == sender && hasEnd &&
			rel["rel_type"] == "m.reference" && rel["event_id"] == poll.String()
	}
}

// noticeContaining matches a notice (from anyone) whose body contains want.
func noticeContaining(want string) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Type == event.EventMessage && m.MsgType == event.MsgNotice && strings.Contains(m.Body, want)
	}
}

// answerID is the Matrix ID of a fake poll's answer i: its Telegram option in hex.
func answerID(i int) string { return hex.EncodeToString(tgfake.PollOption(i)) }

// vote sends the user's poll response.
func vote(t *testing.T, s *session, room id.RoomID, poll id.EventID, answers ...string) {
	t.Helper()
	content := &event.PollResponseEventContent{RelatesTo: event.RelatesTo{Type: event.RelReference, EventID: poll}}
	content.Response.Answers = append([]string{}, answers...)
	if _, err := s.u.SendMessageEvent(context.Background(), room, event.EventUnstablePollResponse, content); err != nil {
		t.Fatalf("vote: %v", err)
	}
}

// sendPoll sends a Matrix poll with answers named by their IDs ("id: text").
func sendPoll(t *testing.T, s *session, room id.RoomID, question string, maxSelections int, answers ...string) id.EventID {
	t.Helper()
	start := event.PollStart{Kind: "org.matrix.msc3381.poll.disclosed", MaxSelections: maxSelections, Question: event.MSC1767Message{Text: question}}
	for _, a := range answers {
		answerID, text, _ := strings.Cut(a, ": ")
		start.Answers = append(start.Answers, event.PollOption{ID: answerID, MSC1767Message: event.MSC1767Message{Text: text}})
	}
	resp, err := s.u.SendMessageEvent(context.Background(), room, event.EventUnstablePollStart, &event.PollStartEventContent{PollStart: start})
	if err != nil {
		t.Fatalf("send poll: %v", err)
	}
	return resp.EventID
}

// TestPollFromTelegram: a Telegram poll appears as a Matrix poll with its question and
// answers; the user's own votes from another Telegram app (reported with the chat, or by poll
// ID only), and taking the vote back, appear as votes from their ghost; the closed poll ends,
// with Telegram's tally.
func TestPollFromTelegram(t *testing.T) {
	s := login(t, "Kim")
	peer, portal, ghost, _, _ := chatWith(t, s, "Lou")
	ctx := context.Background()

	c := s.u.Cursor()
	msgID, err := net.DeliverPoll(ctx, s.acct, peer, tgfake.Poll{Question: "Lunch?", Answers: []string{"Pizza", "Salad", "Soup"}})
	if err != nil {
		t.Fatal(err)
	}
	poll := s.u.WaitFor(t, portal, c, "Lou's poll", pollStartFrom(ghost, "Lunch?"))
	start := poll.Content.Parsed.(*event.PollStartEventContent).PollStart
	var got []string
	for _, a := range start.Answers {
		got = append(got, a.ID+"="+a.GetText())
	}
	want := []string{answerID(0) + "=Pizza", answerID(1) + "=Salad", answerID(2) + "=Soup"}
	if !slices.Equal(got, want) || start.MaxSelections != 1 {
		t.Errorf("poll answers = %q (max %d), want %q (max 1)", got, start.MaxSelections, want)
	}
	if body, _ := poll.Content.Raw["body"].(string); !strings.Contains(body, "1. Pizza\n2. Salad\n3. Soup") {
		t.Errorf("fallback body = %q, want the answers listed", body)
	}

	own := bridge.GhostMXID(itoa(s.acct.User.ID))
	results := func(r tgfake.PollResults) {
		t.Helper()
		if err := net.DeliverPollResults(ctx, s.acct, msgID, r); err != nil {
			t.Fatal(err)
		}
	}
	results(tgfake.PollResults{Voters: []int{0, 1, 0}, Chosen: []int{1}})
	s.u.WaitFor(t, portal, c, "the user's own vote for Salad", pollResponseFrom(own, poll.ID, answerID(1)))
	results(tgfake.PollResults{Voters: []int{1, 0, 0}, Chosen: []int{0}, ByPollIDOnly: true})
	s.u.WaitFor(t, portal, c, "the vote changed to Pizza (update naming the poll only)", pollResponseFrom(own, poll.ID, answerID(0)))
	results(tgfake.PollResults{Voters: []int{0, 0, 0}})
	s.u.WaitFor(t, portal, c, "the vote taken back", pollResponseFrom(own, poll.ID))

	results(tgfake.PollResults{Voters: []int{2, 1, 0}, Closed: true})
	s.u.WaitFor(t, portal, c, "the poll's end from Lou", pollEndFrom(ghost, poll.ID))
	s.u.WaitFor(t, portal, c, "Telegram's tally", noticeContaining(`The poll "Lunch?" has ended. Results on Telegram: Pizza: 2, Salad: 1, Soup: 0 (3 voters).`))
}

// TestPollVoteToTelegram: the Matrix user's vote on a Telegram poll reaches Telegram with the
// answer's option bytes; a vote for an answer the poll lacks gets a notice without anything
// reaching Telegram; Telegram's report of the vote is not bridged back as a second vote; a
// vote on the closed poll gets a notice.
func TestPollVoteToTelegram(t *testing.T) {
	s := login(t, "Max")
	peer, portal, ghost, _, _ := chatWith(t, s, "Ned")
	ctx := context.Background()

	c := s.u.Cursor()
	msgID, err := net.DeliverPoll(ctx, s.acct, peer, tgfake.Poll{Question: "Tea or coffee?", Answers: []string{"Tea", "Coffee"}})
	if err != nil {
		t.Fatal(err)
	}
	poll := s.u.WaitFor(t, portal, c, "Ned's poll", pollStartFrom(ghost, "Tea or coffee?"))

	vote(t, s, portal, poll.ID, answerID(1))
	got := sentBy(t, s, "vote")
	if got.ID != msgID || got.To != peer.ID || len(got.Options) != 1 || !bytes.Equal(got.Options[0], tgfake.PollOption(1)) {
		t.Errorf("vote sent = %+v, want option %x on message %d to %d", got, tgfake.PollOption(1), msgID, peer.ID)
	}

	c = s.u.Cursor()
	vote(t, s, portal, poll.ID, "no-such-answer")
	s.u.WaitFor(t, portal, c, "a notice about the unknown answer", noticeContaining(`the poll has no answer "no-such-answer"`))
	s.u.SendText(t, portal, "still here")
	if got := sentBy(t, s, "message"); got.Text != "still here" {
		t.Errorf("Telegram got %+v, want only the text after the refused vote", got)
	}

	// Telegram reports the account's choice back as the poll closes. The bridge queues the
	// vote before the end, so once the end is seen, a vote bridged back would be too.
	c = s.u.Cursor()
	if err := net.DeliverPollResults(ctx, s.acct, msgID, tgfake.PollResults{Voters: []int{0, 1}, Chosen: []int{1}, Closed: true}); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the poll's end", pollEndFrom(ghost, poll.ID))
	own := bridge.GhostMXID(itoa(s.acct.User.ID))
	s.u.Never(t, portal, c, 0, "the user's vote bridged back", pollResponseFrom(own, poll.ID, answerID(1)))

	c = s.u.Cursor()
	vote(t, s, portal, poll.ID, answerID(0))
	s.u.WaitFor(t, portal, c, "a notice that the poll is closed", noticeContaining("the poll is closed"))
}

// TestPollToTelegram: a Matrix poll reaches Telegram with its question and answers, and the
// user's vote on it maps the Matrix answer IDs to the options the poll has on Telegram.
func TestPollToTelegram(t *testing.T) {
	s := login(t, "Ola")
	peer, portal, _, _, _ := chatWith(t, s, "Pat")

	poll := sendPoll(t, s, portal, "Where do we meet?", 2, "north: North gate", "south: South gate", "east: East gate")
	got := sentBy(t, s, "media")
	if got.Media != "poll" || got.To != peer.ID || got.Question != "Where do we meet?" || !got.MultipleChoice ||
		!slices.Equal(got.Answers, []string{"North gate", "South gate", "East gate"}) || len(got.Options) != 3 {
		t.Fatalf("Telegram got %+v, want the poll with three answers, several allowed, to %d", got, peer.ID)
	}

	vote(t, s, portal, poll, "east", "south")
	v := sentBy(t, s, "vote")
	if v.ID != got.ID || v.To != peer.ID || len(v.Options) != 2 || !bytes.Equal(v.Options[0], got.Options[1]) || !bytes.Equal(v.Options[1], got.Options[2]) {
		t.Errorf("vote sent = %+v, want options %q and %q on message %d", v, got.Options[1], got.Options[2], got.ID)
	}
}

// TestBadPollGetsNotice: a poll Telegram would refuse gets a notice saying why, and nothing
// reaches Telegram.
func TestBadPollGetsNotice(t *testing.T) {
	s := login(t, "Quin")
	_, portal, _, _, _ := chatWith(t, s, "Rae")
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf("a%d: Answer %d", i, i)
	}
	tests := []struct {
		name     string
		question string
		answers  []string
		want     string
	}{
		{"one answer", "Yes?", []string{"y: Yes"}, "it has 1 answers; Telegram polls have 2 to 10"},
		{"eleven answers", "Which?", eleven, "it has 11 answers; Telegram polls have 2 to 10"},
		{"long question", strings.Repeat("why ", 70), []string{"a: A", "b: B"}, "its question is 279 characters long; Telegram allows 255"},
	}
	for _, tt := range tests {
		c := s.u.Cursor()
		sendPoll(t, s, portal, tt.question, 1, tt.answers...)
		s.u.WaitFor(t, portal, c, "a notice about the "+tt.name, noticeContaining("The poll could not be sent to Telegram: "+tt.want))
	}
	s.u.SendText(t, portal, "no poll then")
	if got := sentBy(t, s, "message"); got.Text != "no poll then" {
		t.Errorf("Telegram got %+v, want only the text after the refused polls", got)
	}
}

// anyPollResponseFrom matches any vote by sender on poll.
func anyPollResponseFrom(sender id.UserID, poll id.EventID) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		c, ok := x.Event.Content.Parsed.(*event.PollResponseEventContent)
		return ok && x.Event.Type == event.EventUnstablePollResponse && x.Event.Sender == sender && c.RelatesTo.EventID == poll
	}
}

// TestPublicPollVotersFromTelegram: in a basic group's public poll, another member's vote made
// before the account voted shows once the account votes from Matrix (Telegram lists voters
// only to those who voted); later votes, changes and a vote taken back appear as poll
// responses from the voters' ghosts, listed a page at a time, and unchanged votes are not sent
// again.
func TestPublicPollVotersFromTelegram(t *testing.T) {
	s := login(t, "Sid")
	ada := net.AddUser("Ada", "", "", newPhone())
	bob := net.AddUser("Bob", "", "", newPhone())
	chat := net.AddChat("Lunch club", "", ada, bob, s.acct.User)
	ctx := context.Background()

	c := s.u.Cursor()
	msgID, err := net.DeliverPoll(ctx, s.acct, ada, tgfake.Poll{Question: "Where to?", Answers: []string{"Deli", "Diner", "Dumplings"},
		PublicVoters: true, Chat: chat, VotesPageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost, bobGhost := bridge.GhostMXID(itoa(ada.ID)), bridge.GhostMXID(itoa(bob.ID))
	poll := s.u.WaitFor(t, portal, c, "Ada's poll", pollStartFrom(adaGhost, "Where to?"))

	pollVote := func(voter *tg.User, answers ...int) {
		t.Helper()
		if err := net.DeliverPollVote(ctx, s.acct, msgID, voter, answers...); err != nil {
			t.Fatal(err)
		}
	}
	pollVote(bob, 1) // Telegram will not list it yet: the account has not voted
	vote(t, s, portal, poll.ID, answerID(0))
	if got := sentBy(t, s, "vote"); got.ToChat != chat.ID || got.ID != msgID || len(got.Options) != 1 || !bytes.Equal(got.Options[0], tgfake.PollOption(0)) {
		t.Errorf("vote sent = %+v, want option %x on message %d in group %d", got, tgfake.PollOption(0), msgID, chat.ID)
	}
	s.u.WaitFor(t, portal, c, "Bob's earlier vote for Diner", pollResponseFrom(bobGhost, poll.ID, answerID(1)))

	c = s.u.Cursor()
	pollVote(ada, 2)
	s.u.WaitFor(t, portal, c, "Ada's vote for Dumplings", pollResponseFrom(adaGhost, poll.ID, answerID(2)))
	pollVote(bob, 0)
	s.u.WaitFor(t, portal, c, "Bob's vote changed to Deli", pollResponseFrom(bobGhost, poll.ID, answerID(0)))
	// Bob's first vote would have been sent again with Ada's, before his change.
	s.u.Never(t, portal, c, 0, "Bob's unchanged vote sent again", pollResponseFrom(bobGhost, poll.ID, answerID(1)))
	s.u.Never(t, portal, c, 0, "the user's own vote from their ghost", anyPollResponseFrom(bridge.GhostMXID(itoa(s.acct.User.ID)), poll.ID))

	c = s.u.Cursor()
	pollVote(bob)
	s.u.WaitFor(t, portal, c, "Bob's vote taken back", pollResponseFrom(bobGhost, poll.ID))
	if err := net.DeliverPollResults(ctx, s.acct, msgID, tgfake.PollResults{Voters: []int{1, 0, 1}, Chosen: []int{0}, Closed: true}); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the poll's end", pollEndFrom(adaGhost, poll.ID))
	s.u.Never(t, portal, c, 0, "Ada's unchanged vote sent again", anyPollResponseFrom(adaGhost, poll.ID))
}

// TestAnonymousPollHidesVoters: in an anonymous poll, another person's vote shows only in the
// counts: no poll response from them, even after the account voted and the poll closed.
func TestAnonymousPollHidesVoters(t *testing.T) {
	s := login(t, "Tia")
	peer, portal, ghost, _, _ := chatWith(t, s, "Uma")
	ctx := context.Background()

	c := s.u.Cursor()
	msgID, err := net.DeliverPoll(ctx, s.acct, peer, tgfake.Poll{Question: "Movie night?", Answers: []string{"Yes", "No"}})
	if err != nil {
		t.Fatal(err)
	}
	poll := s.u.WaitFor(t, portal, c, "Uma's poll", pollStartFrom(ghost, "Movie night?"))
	vote(t, s, portal, poll.ID, answerID(0))
	if got := sentBy(t, s, "vote"); got.To != peer.ID || got.ID != msgID {
		t.Errorf("vote sent = %+v, want a vote on message %d to %d", got, msgID, peer.ID)
	}
	if err := net.DeliverPollVote(ctx, s.acct, msgID, peer, 1); err != nil {
		t.Fatal(err)
	}
	if err := net.DeliverPollResults(ctx, s.acct, msgID, tgfake.PollResults{Voters: []int{1, 1}, Chosen: []int{0}, Closed: true}); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the poll's end", pollEndFrom(ghost, poll.ID))
	s.u.WaitFor(t, portal, c, "Telegram's tally", noticeContaining("Yes: 1, No: 1 (2 voters)"))
	s.u.Never(t, portal, c, 0, "Uma's vote", anyPollResponseFrom(ghost, poll.ID))
	if n := net.PollVoteLists(s.acct); n != 0 {
		t.Errorf("the bridge asked Telegram %d times who voted in an anonymous poll", n)
	}
}
