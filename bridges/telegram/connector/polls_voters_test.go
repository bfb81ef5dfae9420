package connector

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// votersPoll is the metadata of a poll with answers Pizza, Salad, Soup (options "a0".."a2",
// Matrix IDs "6130".."6132").
func votersPoll(multiple bool) *PollMetadata {
	poll := tg.Poll{ID: 77, Question: tg.TextWithEntities{Text: "Lunch?"}, MultipleChoice: multiple, PublicVoters: true}
	for i, a := range []string{"Pizza", "Salad", "Soup"} {
		poll.Answers = append(poll.Answers, &tg.PollAnswer{Text: tg.TextWithEntities{Text: a}, Option: []byte{'a', byte('0' + i)}})
	}
	return pollMetadataOf(pollStartPart(&tg.MessageMediaPoll{Poll: poll}).DBMetadata)
}

func userVote(user int64, option string) tg.MessagePeerVoteClass {
	return &tg.MessagePeerVote{Peer: &tg.PeerUser{UserID: user}, Option: []byte(option)}
}

func TestVoterChoices(t *testing.T) {
	multi := func(user int64, options ...string) tg.MessagePeerVoteClass {
		v := &tg.MessagePeerVoteMultiple{Peer: &tg.PeerUser{UserID: user}}
		for _, o := range options {
			v.Options = append(v.Options, []byte(o))
		}
		return v
	}
	tests := []struct {
		name     string
		multiple bool
		votes    []tg.MessagePeerVoteClass
		want     map[int64][]string
	}{
		{"one vote each", false, []tg.MessagePeerVoteClass{userVote(1, "a1"), userVote(2, "a0")},
			map[int64][]string{1: {"6131"}, 2: {"6130"}}},
		{"several answers, in answer order", true, []tg.MessagePeerVoteClass{multi(1, "a2", "a0")},
			map[int64][]string{1: {"6130", "6132"}}},
		{"one vote per option merged", true, []tg.MessagePeerVoteClass{userVote(1, "a2"), userVote(1, "a1")},
			map[int64][]string{1: {"6131", "6132"}}},
		{"single choice keeps the first answer", false, []tg.MessagePeerVoteClass{multi(1, "a2", "a1")},
			map[int64][]string{1: {"6131"}}},
		{"hidden option: voted, unknown choice", false, []tg.MessagePeerVoteClass{&tg.MessagePeerVoteInputOption{Peer: &tg.PeerUser{UserID: 3}}},
			map[int64][]string{3: nil}},
		{"unknown option: voted, unknown choice", false, []tg.MessagePeerVoteClass{userVote(4, "zz")},
			map[int64][]string{4: nil}},
		{"channels and broken peers left out", false, []tg.MessagePeerVoteClass{
			&tg.MessagePeerVote{Peer: &tg.PeerChannel{ChannelID: 9}, Option: []byte("a0")},
			&tg.MessagePeerVote{Peer: &tg.PeerChat{ChatID: 8}, Option: []byte("a0")},
			&tg.MessagePeerVote{Option: []byte("a0")},
			userVote(0, "a0"),
			nil,
		}, map[int64][]string{}},
		{"nobody", false, nil, map[int64][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := votersPoll(tt.multiple).voterChoices(tt.votes); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("voterChoices = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVoteChanges(t *testing.T) {
	const self = 100
	tests := []struct {
		name     string
		last     map[int64][]string
		now      map[int64][]string
		complete bool
		want     []voteChange
	}{
		{"new votes, in user order", nil, map[int64][]string{7: {"a"}, 3: {"b"}}, true,
			[]voteChange{{3, []string{"b"}}, {7, []string{"a"}}}},
		{"unchanged votes are not sent again", map[int64][]string{3: {"b"}}, map[int64][]string{3: {"b"}, 7: {"a"}}, true,
			[]voteChange{{7, []string{"a"}}}},
		{"a changed vote", map[int64][]string{3: {"b"}}, map[int64][]string{3: {"a", "b"}}, true,
			[]voteChange{{3, []string{"a", "b"}}}},
		{"a vote taken back", map[int64][]string{3: {"b"}, 7: {"a"}}, map[int64][]string{7: {"a"}}, true,
			[]voteChange{{3, []string{}}}},
		{"incomplete list: a missing voter may still have voted", map[int64][]string{3: {"b"}}, map[int64][]string{7: {"a"}}, false,
			[]voteChange{{7, []string{"a"}}}},
		{"unknown choice keeps the last one", map[int64][]string{3: {"b"}}, map[int64][]string{3: nil, 5: nil}, true, nil},
		{"the account's own vote is left out", map[int64][]string{self: {"a"}}, map[int64][]string{self: {"b"}}, true, nil},
		{"nothing", nil, nil, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &PollMetadata{Poll: tgconv.Poll{Votes: tt.last}}
			if got := p.voteChanges(tt.now, tt.complete, self); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("voteChanges = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSetVoteSurvivesStorage(t *testing.T) {
	p := votersPoll(false)
	p.setVote(5, []string{"6131"})
	p.setVote(-1, []string{"6130"})
	p.setVote(6, []string{"6132"})
	p.setVote(6, []string{})
	raw, err := json.Marshal(&MessageMetadata{Poll: p})
	if err != nil {
		t.Fatal(err)
	}
	var back MessageMetadata
	if err = json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	want := map[int64][]string{5: {"6131"}, -1: {"6130"}}
	if !back.Poll.PublicVoters || !reflect.DeepEqual(back.Poll.Votes, want) {
		t.Errorf("stored %s, read back public=%v votes %v; want public, votes %v", raw, back.Poll.PublicVoters, back.Poll.Votes, want)
	}
}

func TestMayListVoters(t *testing.T) {
	chosen := tg.PollResults{Results: []tg.PollAnswerVoters{{Option: []byte("a0")}, {Option: []byte("a1"), Chosen: true}}}
	notChosen := tg.PollResults{Results: []tg.PollAnswerVoters{{Option: []byte("a0"), Voters: 3}}}
	tests := []struct {
		name    string
		closed  bool
		results tg.PollResults
		want    bool
	}{
		{"the account voted", false, chosen, true},
		{"the account did not vote", false, notChosen, false},
		{"no results yet", false, tg.PollResults{}, false},
		{"closed: anyone may look", true, notChosen, true},
		{"min results do not say", false, tg.PollResults{Min: true}, true},
	}
	for _, tt := range tests {
		if got := mayListVoters(tt.closed, tt.results); got != tt.want {
			t.Errorf("%s: mayListVoters = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// votePages serves votes users 1..total in pages of at most size, numbering offsets by
// position; it records the requests.
type votePages struct {
	total, size int
	fail        error
	stuck       bool // always answer the same next offset
	asked       []string
}

func (v *votePages) page(offset string, limit int) (*tg.MessagesVotesList, error) {
	v.asked = append(v.asked, fmt.Sprintf("%s/%d", offset, limit))
	if v.fail != nil {
		return nil, v.fail
	}
	start, _ := strconv.Atoi(offset)
	end := min(start+min(limit, v.size), v.total)
	res := &tg.MessagesVotesList{Count: v.total}
	for u := start; u < end; u++ {
		res.Votes = append(res.Votes, userVote(int64(u+1), "a0"))
	}
	switch {
	case v.stuck:
		res.SetNextOffset("stuck")
	case end < v.total:
		res.SetNextOffset(strconv.Itoa(end))
	}
	return res, nil
}

func TestCollectVotes(t *testing.T) {
	tests := []struct {
		name     string
		pages    votePages
		votes    int
		complete bool
		asked    []string
		err      bool
	}{
		{"one page", votePages{total: 3, size: 50}, 3, true, []string{"/50"}, false},
		{"nobody voted", votePages{total: 0, size: 50}, 0, true, []string{"/50"}, false},
		{"pages until no next offset", votePages{total: 5, size: 2}, 5, true, []string{"/50", "2/50", "4/50"}, false},
		{"capped", votePages{total: 1200, size: 50}, maxPollVoters, false, nil, false},
		{"Telegram repeats its offset", votePages{total: 5, size: 2, stuck: true}, 4, false, []string{"/50", "stuck/50"}, false},
		{"Telegram refuses", votePages{total: 5, size: 2, fail: errors.New("POLL_VOTE_REQUIRED")}, 0, false, []string{"/50"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			votes, complete, err := collectVotes(tt.pages.page)
			if (err != nil) != tt.err || len(votes) != tt.votes || complete != tt.complete {
				t.Errorf("got %d votes, complete %v, error %v; want %d, %v, error %v", len(votes), complete, err, tt.votes, tt.complete, tt.err)
			}
			if tt.asked != nil && !slices.Equal(tt.pages.asked, tt.asked) {
				t.Errorf("asked for %q, want %q", tt.pages.asked, tt.asked)
			}
			if len(tt.pages.asked) > maxPollVoters/pollVotesPage+1 {
				t.Errorf("asked %d times", len(tt.pages.asked))
			}
		})
	}
}

// FuzzVoterChoices feeds arbitrary TL-encoded votes lists to the vote reader and differ: they
// must never panic; every choice must be answers of the poll, in its order, without repeats
// (at most one in a single-choice poll); changes must name listed or previously bridged
// voters, never the account, and empty answers only for voters no longer listed.
func FuzzVoterChoices(f *testing.F) {
	for _, seed := range [][]tg.MessagePeerVoteClass{
		{userVote(1, "a1"), userVote(2, "a0")},
		{&tg.MessagePeerVoteMultiple{Peer: &tg.PeerUser{UserID: 3}, Options: [][]byte{[]byte("a2"), []byte("a0")}}},
		{&tg.MessagePeerVoteInputOption{Peer: &tg.PeerUser{UserID: 4}}, &tg.MessagePeerVote{Peer: &tg.PeerChannel{ChannelID: 5}}},
	} {
		var b bin.Buffer
		for _, v := range seed {
			if err := v.Encode(&b); err != nil {
				f.Fatal(err)
			}
		}
		f.Add(b.Raw(), false)
	}
	const self = 2
	f.Fuzz(func(t *testing.T, data []byte, multiple bool) {
		buf := &bin.Buffer{Buf: data}
		var votes []tg.MessagePeerVoteClass
		for buf.Len() > 0 {
			v, err := tg.DecodeMessagePeerVote(buf)
			if err != nil {
				break
			}
			votes = append(votes, v)
		}
		p := votersPoll(multiple)
		p.Votes = map[int64][]string{1: {"6130"}, 9: {"6131"}, self: {"6132"}}
		choices := p.voterChoices(votes)
		order := map[string]int{}
		for i, a := range p.Answers {
			order[a.ID] = i
		}
		for user, answers := range choices {
			if user == 0 || (!multiple && len(answers) > 1) {
				t.Fatalf("user %d chose %q", user, answers)
			}
			for i, a := range answers {
				if pos, ok := order[a]; !ok || (i > 0 && pos <= order[answers[i-1]]) {
					t.Fatalf("user %d chose %q: not the poll's answers in order", user, answers)
				}
			}
		}
		for _, c := range p.voteChanges(choices, true, self) {
			_, listed := choices[c.userID]
			_, bridged := p.Votes[c.userID]
			if c.userID == self || (!listed && !bridged) || (len(c.answers) == 0) == listed {
				t.Fatalf("change %+v (listed %v, bridged %v)", c, listed, bridged)
			}
		}
	})
}
