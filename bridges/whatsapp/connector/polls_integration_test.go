//go:build integration

package connector_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// pollStartOf reads the MSC3381 poll of a Matrix event.
func pollStartOf(t *testing.T, evt *event.Event) event.PollStart {
	t.Helper()
	var c struct {
		Start event.PollStart `json:"org.matrix.msc3381.poll.start"`
	}
	if err := json.Unmarshal(evt.Content.VeryRaw, &c); err != nil {
		t.Fatalf("poll content %s: %v", evt.Content.VeryRaw, err)
	}
	return c.Start
}

// responseOf reads the answers and target of an MSC3381 poll response.
func responseOf(t *testing.T, evt *event.Event) (id.EventID, []string) {
	t.Helper()
	var c event.PollResponseEventContent
	if err := json.Unmarshal(evt.Content.VeryRaw, &c); err != nil {
		t.Fatalf("poll response %s: %v", evt.Content.VeryRaw, err)
	}
	return c.RelatesTo.EventID, c.Response.Answers
}

// votedNames decodes the option hashes of a vote the bridge sent (the fake keeps them clear).
func votedNames(t *testing.T, m *waE2E.Message, candidates ...string) []string {
	t.Helper()
	var vote waE2E.PollVoteMessage
	if err := proto.Unmarshal(m.GetPollUpdateMessage().GetVote().GetEncPayload(), &vote); err != nil {
		t.Fatalf("vote payload: %v", err)
	}
	var out []string
	for _, hash := range vote.GetSelectedOptions() {
		for _, name := range candidates {
			if sum := sha256.Sum256([]byte(name)); string(sum[:]) == string(hash) {
				out = append(out, name)
			}
		}
	}
	return out
}

func TestPollFromWhatsAppWithVotesBothWays(t *testing.T) {
	s := login(t, "Yan")
	ch, _, _ := openChat(t, s, "Zed", "let's decide")
	c := s.u.Cursor()
	poll := ch.incoming(&waE2E.Message{PollCreationMessageV3: &waE2E.PollCreationMessage{
		Name: proto.String("Lunch?"), SelectableOptionsCount: proto.Uint32(1),
		Options: []*waE2E.PollCreationMessage_Option{{OptionName: proto.String("Pizza")}, {OptionName: proto.String("Sushi")}, {OptionName: proto.String("Tacos")}},
	}})
	start := s.u.WaitFor(t, ch.portal, c, "the poll", matrixtest.Type(event.EventUnstablePollStart, ch.ghost))
	p := pollStartOf(t, start)
	if p.Question.GetText() != "Lunch?" || len(p.Answers) != 3 || p.MaxSelections != 1 || p.Answers[1].GetText() != "Sushi" || p.Answers[1].ID != waconv.PollOptionID("Sushi") {
		t.Fatalf("poll = %+v", p)
	}

	c = s.u.Cursor()
	ch.incoming(wafake.VoteMessage(ch.peer, ch.peer, poll.Info.ID, true, "Sushi"))
	resp := s.u.WaitFor(t, ch.portal, c, "Zed's vote", matrixtest.Type(event.EventUnstablePollResponse, ch.ghost))
	if target, answers := responseOf(t, resp); target != start.ID || !reflect.DeepEqual(answers, []string{waconv.PollOptionID("Sushi")}) {
		t.Errorf("vote = %v on %s, want Sushi on %s", answers, target, start.ID)
	}

	net.DrainSent()
	vote := &event.PollResponseEventContent{RelatesTo: event.RelatesTo{Type: event.RelReference, EventID: start.ID}}
	vote.Response.Answers = []string{waconv.PollOptionID("Pizza")}
	if _, err := s.u.Client.SendMessageEvent(context.Background(), ch.portal, event.EventUnstablePollResponse, vote); err != nil {
		t.Fatal(err)
	}
	got := sent(t)
	key := got.Message.GetPollUpdateMessage().GetPollCreationMessageKey()
	if key.GetID() != string(poll.Info.ID) || !reflect.DeepEqual(votedNames(t, got.Message, "Pizza", "Sushi", "Tacos"), []string{"Pizza"}) {
		t.Errorf("vote sent = key %v names %v, want Pizza on %s", key, votedNames(t, got.Message, "Pizza", "Sushi", "Tacos"), poll.Info.ID)
	}
}

func TestPollFromMatrix(t *testing.T) {
	s := login(t, "Ana")
	ch, _, _ := openChat(t, s, "Ben", "ask me")
	net.DrainSent()
	content := &event.PollStartEventContent{PollStart: event.PollStart{Kind: "org.matrix.msc3381.poll.disclosed", MaxSelections: 1}}
	content.PollStart.Question.Text = "Cinema tonight?"
	for _, a := range []struct{ id, text string }{{"yes-id", "Yes"}, {"no-id", "No"}} {
		opt := event.PollOption{ID: a.id}
		opt.Text = a.text
		content.PollStart.Answers = append(content.PollStart.Answers, opt)
	}
	resp, err := s.u.Client.SendMessageEvent(context.Background(), ch.portal, event.EventUnstablePollStart, content)
	if err != nil {
		t.Fatal(err)
	}
	got := sent(t)
	created := got.Message.GetPollCreationMessageV3()
	if created == nil {
		created = got.Message.GetPollCreationMessage()
	}
	if created.GetName() != "Cinema tonight?" || len(created.GetOptions()) != 2 || created.GetOptions()[1].GetOptionName() != "No" || created.GetSelectableOptionsCount() != 1 {
		t.Fatalf("poll sent to WhatsApp = %v", got.Message)
	}

	c := s.u.Cursor()
	ch.incoming(wafake.VoteMessage(ch.peer, s.jid, got.ID, false, "No"))
	vote := s.u.WaitFor(t, ch.portal, c, "Ben's vote", matrixtest.Type(event.EventUnstablePollResponse, ch.ghost))
	if target, answers := responseOf(t, vote); target != resp.EventID || !reflect.DeepEqual(answers, []string{"no-id"}) {
		t.Errorf("vote = %v on %s, want [no-id] on %s", answers, target, resp.EventID)
	}

	// A poll WhatsApp cannot represent is refused with a reason.
	c = s.u.Cursor()
	bad := &event.PollStartEventContent{PollStart: event.PollStart{Kind: "org.matrix.msc3381.poll.disclosed", MaxSelections: 1}}
	bad.PollStart.Question.Text = "Only one choice?"
	only := event.PollOption{ID: "x"}
	only.Text = "Yes"
	bad.PollStart.Answers = []event.PollOption{only}
	if _, err = s.u.Client.SendMessageEvent(context.Background(), ch.portal, event.EventUnstablePollStart, bad); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, ch.portal, c, "the refusal", matrixtest.MessageFrom(bridge.BotMXID(), "2 to 12 options"))
}
