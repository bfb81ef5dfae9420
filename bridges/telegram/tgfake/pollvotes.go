package tgfake

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// Who voted for what. The fake keeps every poll's votes, the account's own included, and
// lists them to members of public polls (messages.getPollVotes) with Telegram's rules: only
// for polls whose voters are public, only after the caller voted (unless the poll is closed),
// newest vote first, a page at a time.

// defaultVotesPage is the most votes one getPollVotes answer holds.
const defaultVotesPage = 50

// fakeVote is one voter's choice: answers by position, and when it was made.
type fakeVote struct {
	answers []int
	date    int
}

// vote records user's choice (none takes the vote back). Callers hold n.mu.
func (fp *fakePoll) vote(user int64, answers []int) {
	fp.order = slices.DeleteFunc(fp.order, func(id int64) bool { return id == user })
	if len(answers) == 0 {
		delete(fp.votes, user)
		return
	}
	if fp.votes == nil {
		fp.votes = map[int64]fakeVote{}
	}
	fp.votes[user] = fakeVote{answers: slices.Clone(answers), date: int(time.Now().Unix())}
	fp.order = append([]int64{user}, fp.order...)
}

// counts is how many voters chose each answer, by position. Callers hold n.mu.
func (fp *fakePoll) counts() []int {
	counts := make([]int, len(fp.poll.Answers))
	for _, v := range fp.votes {
		for _, i := range v.answers {
			counts[i]++
		}
	}
	return counts
}

// DeliverPollVote makes voter choose answers (by position; none takes their vote back) in the
// poll of message msgID of the account's chats, and reports the new results to the account as
// Telegram does (updateMessagePoll; "min" results, without the account's choice, when someone
// else voted). voter may be the account itself, voting in another app.
func (n *Network) DeliverPollVote(ctx context.Context, to *Account, msgID int, voter *tg.User, answers ...int) error {
	n.mu.Lock()
	fp, ok := n.polls.byMsg[pollKey{to.User.ID, msgID}]
	var err error
	switch {
	case !ok:
		err = fmt.Errorf("deliver poll vote: message %d of %d is not a poll", msgID, to.User.ID)
	case fp.poll.Closed:
		err = fmt.Errorf("deliver poll vote: the poll of message %d is closed", msgID)
	case len(answers) > 1 && !fp.poll.MultipleChoice:
		err = fmt.Errorf("deliver poll vote: the poll of message %d allows one answer", msgID)
	}
	for _, i := range answers {
		if err == nil && (i < 0 || i >= len(fp.poll.Answers)) {
			err = fmt.Errorf("deliver poll vote: the poll of message %d has no answer %d", msgID, i)
		}
	}
	if err != nil {
		n.mu.Unlock()
		return err
	}
	fp.vote(voter.ID, answers)
	poll, counts, own := fp.poll, fp.counts(), fp.votes[to.User.ID].answers
	peer, users, chats := n.pollPeer(fp)
	n.mu.Unlock()
	if peer == nil {
		return fmt.Errorf("deliver poll vote: the chat of message %d is gone", msgID)
	}
	results := pollResults(&poll, counts, own)
	if voter.ID != to.User.ID {
		results = pollResults(&poll, counts, nil)
		results.SetMin(true)
	}
	u := &tg.UpdateMessagePoll{PollID: poll.ID, Results: results}
	u.SetPeer(peer)
	u.SetMsgID(msgID)
	return n.pushEntities(ctx, to, append(users, voter), chats, u)
}

// PollVoteLists is how many times the account asked who voted in a poll (getPollVotes),
// including requests Telegram refused.
func (n *Network) PollVoteLists(acct *Account) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.polls.listed[acct.User.ID]
}

// getPollVotes handles messages.getPollVotes: a page of who voted for what, newest first. The
// offset is the position of the page's first vote. Telegram documents no error for anonymous
// polls; the fake answers MSG_ID_INVALID, as for messages that are not polls.
func (n *Network) getPollVotes(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesGetPollVotesRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	if n.polls.listed == nil {
		n.polls.listed = map[int64]int{}
	}
	n.polls.listed[me.ID]++
	n.mu.Unlock()
	start := 0
	if r.Offset != "" {
		if start, err = strconv.Atoi(r.Offset); err != nil || start < 0 {
			return s.SendErr(req, tgerr.New(400, "OFFSET_INVALID"))
		}
	}
	if r.Limit <= 0 {
		return s.SendErr(req, tgerr.New(400, "LIMIT_INVALID"))
	}
	peer := pollPeerOf(r.Peer)
	n.mu.Lock()
	defer n.mu.Unlock()
	fp, known := n.polls.byMsg[pollKey{me.ID, r.ID}]
	switch {
	case !known || peer == 0 || fp.peer != peer || !fp.poll.PublicVoters:
		return s.SendErr(req, tgerr.New(400, "MSG_ID_INVALID"))
	case len(fp.votes[me.ID].answers) == 0 && !fp.poll.Closed:
		return s.SendErr(req, tgerr.New(403, "POLL_VOTE_REQUIRED"))
	}
	option := -1
	if r.Option != nil {
		if option = fp.answerIndex(r.Option); option < 0 {
			return s.SendErr(req, tgerr.New(400, "OPTION_INVALID"))
		}
	}
	var voters []int64
	for _, id := range fp.order {
		if option < 0 || slices.Contains(fp.votes[id].answers, option) {
			voters = append(voters, id)
		}
	}
	limit := min(r.Limit, defaultVotesPage)
	if fp.pageSize > 0 {
		limit = min(limit, fp.pageSize)
	}
	res := &tg.MessagesVotesList{Count: len(voters), Votes: []tg.MessagePeerVoteClass{}, Chats: []tg.ChatClass{}, Users: []tg.UserClass{}}
	end := min(start+limit, len(voters))
	for _, id := range voters[min(start, end):end] {
		res.Votes = append(res.Votes, fp.peerVote(id, option))
		if u, ok := n.users[id]; ok {
			res.Users = append(res.Users, u)
		}
	}
	if end < len(voters) {
		res.SetNextOffset(strconv.Itoa(end))
	}
	return s.SendResult(req, res)
}

// answerIndex is the position of the answer with option, or -1. Callers hold n.mu.
func (fp *fakePoll) answerIndex(option []byte) int {
	return slices.IndexFunc(fp.poll.Answers, func(a tg.PollAnswerClass) bool {
		pa, ok := a.(*tg.PollAnswer)
		return ok && string(pa.Option) == string(option)
	})
}

// peerVote is a user's vote as getPollVotes lists it: the option alone when the caller asked
// about one option, all chosen options in a multiple-choice poll. Callers hold n.mu.
func (fp *fakePoll) peerVote(user int64, option int) tg.MessagePeerVoteClass {
	v, peer := fp.votes[user], &tg.PeerUser{UserID: user}
	switch {
	case option >= 0:
		return &tg.MessagePeerVoteInputOption{Peer: peer, Date: v.date}
	case fp.poll.MultipleChoice:
		options := make([][]byte, 0, len(v.answers))
		for _, i := range v.answers {
			options = append(options, fp.option(i))
		}
		return &tg.MessagePeerVoteMultiple{Peer: peer, Options: options, Date: v.date}
	}
	return &tg.MessagePeerVote{Peer: peer, Option: fp.option(v.answers[0]), Date: v.date}
}

// option is the option bytes of answer i. Callers hold n.mu.
func (fp *fakePoll) option(i int) []byte {
	if pa, ok := fp.poll.Answers[i].(*tg.PollAnswer); ok {
		return pa.Option
	}
	return nil
}
