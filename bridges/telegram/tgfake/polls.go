package tgfake

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// pollStore keeps the polls of the accounts' private chats, for votes and results.
type pollStore struct {
	byMsg  map[pollKey]*fakePoll
	nextID int64
	// listed counts each account's messages.getPollVotes requests, refused ones included.
	listed map[int64]int
}

// pollKey is a poll's message as numbered for one account.
type pollKey struct {
	account int64
	msgID   int
}

type fakePoll struct {
	poll tg.Poll
	// peer is the other user of the private chat, or minus the basic group's ID (as in the
	// history).
	peer int64
	// votes is who chose which answers (by position), the account included; order lists the
	// voters newest first, as getPollVotes pages them (pollvotes.go).
	votes    map[int64]fakeVote
	order    []int64
	pageSize int
}

// Poll is a poll for DeliverPoll.
type Poll struct {
	Question                     string
	Answers                      []string
	MultipleChoice, Quiz, Closed bool
	// PublicVoters makes a poll whose voters members may list (messages.getPollVotes).
	PublicVoters bool
	// Chat, when set, posts the poll in this basic group instead of the private chat.
	Chat *tg.Chat
	// VotesPageSize caps how many votes one getPollVotes answer holds (default 50), as
	// Telegram may return fewer than asked: small values make clients page.
	VotesPageSize int
}

// PollResults is the state of a poll for DeliverPollResults.
type PollResults struct {
	// Voters is how many people chose each answer, by position; the total is their sum.
	Voters []int
	// Chosen lists the answers (by position) the account itself chose, e.g. in another app.
	Chosen []int
	// Closed closes the poll.
	Closed bool
	// ByPollIDOnly leaves the chat and message out of the update, as older layers do: the
	// client must know the poll by its ID.
	ByPollIDOnly bool
}

// PollOption is the option DeliverPoll gives answer i. It is deliberately not text, so tests
// see that the bridge hands Telegram's bytes back untouched.
func PollOption(i int) []byte { return []byte{0xF0, byte(i), 0x00} }

func (n *Network) registerPolls(d *tgtest.Dispatcher) {
	d.HandleFunc(tg.MessagesSendVoteRequestTypeID, n.sendVote)
	d.HandleFunc(tg.MessagesGetPollVotesRequestTypeID, n.getPollVotes)
}

// addPoll gives a poll its ID and keeps it as message msgID of account's chat with peer.
// Callers hold n.mu.
func (n *Network) addPoll(account int64, msgID int, peer int64, poll *tg.Poll) *fakePoll {
	if n.polls.byMsg == nil {
		n.polls.byMsg = map[pollKey]*fakePoll{}
	}
	n.polls.nextID++
	poll.ID = 7_000_000 + n.polls.nextID
	fp := &fakePoll{poll: *poll, peer: peer, votes: map[int64]fakeVote{}}
	n.polls.byMsg[pollKey{account, msgID}] = fp
	return fp
}

// DeliverPoll makes from post a poll in the private chat with `to` (or in p.Chat); answer i
// gets the option PollOption(i). It returns the message ID.
func (n *Network) DeliverPoll(ctx context.Context, to *Account, from *tg.User, p Poll) (int, error) {
	poll := tg.Poll{Question: tg.TextWithEntities{Text: p.Question}, MultipleChoice: p.MultipleChoice, Quiz: p.Quiz, Closed: p.Closed, PublicVoters: p.PublicVoters}
	for i, a := range p.Answers {
		poll.Answers = append(poll.Answers, &tg.PollAnswer{Text: tg.TextWithEntities{Text: a}, Option: PollOption(i)})
	}
	poll.SetFlags()
	var chatPeer tg.PeerClass = &tg.PeerUser{UserID: from.ID}
	peer, chats := from.ID, []tg.ChatClass(nil)
	if p.Chat != nil {
		chatPeer, peer, chats = &tg.PeerChat{ChatID: p.Chat.ID}, -p.Chat.ID, []tg.ChatClass{p.Chat}
	}
	n.mu.Lock()
	n.nextMsg[to.User.ID]++
	id := n.nextMsg[to.User.ID]
	n.addPoll(to.User.ID, id, peer, &poll).pageSize = p.VotesPageSize
	n.mu.Unlock()
	media := &tg.MessageMediaPoll{Poll: poll} // nobody has voted: no results yet
	media.SetFlags()
	msg := &tg.Message{ID: id, PeerID: chatPeer, FromID: &tg.PeerUser{UserID: from.ID}, Media: media, Date: int(time.Now().Unix())}
	msg.SetFlags()
	n.record(to.User.ID, peer, msg)
	if err := n.pushEntities(ctx, to, []tg.UserClass{from}, chats, &tg.UpdateNewMessage{Message: msg, PtsCount: 1}); err != nil {
		return 0, fmt.Errorf("deliver poll to %d: %w", to.User.ID, err)
	}
	return id, nil
}

// DeliverPollResults reports new results of the poll in message msgID of the account's
// chats, as Telegram does when someone votes or the poll closes (updateMessagePoll). The
// fake takes r.Chosen as the account's vote from now on.
func (n *Network) DeliverPollResults(ctx context.Context, to *Account, msgID int, r PollResults) error {
	n.mu.Lock()
	fp, ok := n.polls.byMsg[pollKey{to.User.ID, msgID}]
	var poll tg.Poll
	var peer tg.PeerClass
	var users []tg.UserClass
	var chats []tg.ChatClass
	if ok {
		fp.poll.Closed = fp.poll.Closed || r.Closed
		fp.vote(to.User.ID, r.Chosen)
		poll = fp.poll
		peer, users, chats = n.pollPeer(fp)
	}
	n.mu.Unlock()
	if !ok || peer == nil {
		return fmt.Errorf("deliver poll results: message %d of %d is not a poll", msgID, to.User.ID)
	}
	u := &tg.UpdateMessagePoll{PollID: poll.ID, Results: pollResults(&poll, r.Voters, r.Chosen)}
	if !r.ByPollIDOnly {
		u.SetPeer(peer)
		u.SetMsgID(msgID)
	}
	if r.Closed {
		poll.SetFlags()
		u.SetPoll(poll)
	}
	return n.pushEntities(ctx, to, users, chats, u)
}

// pollPeer is the chat of a poll as updates name it, with the user or group they mention.
// Callers hold n.mu.
func (n *Network) pollPeer(fp *fakePoll) (tg.PeerClass, []tg.UserClass, []tg.ChatClass) {
	if fp.peer < 0 {
		fc, ok := n.chats[-fp.peer]
		if !ok {
			return nil, nil, nil
		}
		return &tg.PeerChat{ChatID: -fp.peer}, nil, []tg.ChatClass{fc.chat}
	}
	u, ok := n.users[fp.peer]
	if !ok {
		return nil, nil, nil
	}
	return &tg.PeerUser{UserID: u.ID}, []tg.UserClass{u}, nil
}

// pollResults are a poll's results as Telegram gives them to one account: each answer's count
// and which ones the account chose.
func pollResults(poll *tg.Poll, voters, chosen []int) tg.PollResults {
	var res tg.PollResults
	list := []tg.PollAnswerVoters{}
	total := 0
	for i, a := range poll.Answers {
		pa, ok := a.(*tg.PollAnswer)
		if !ok {
			continue
		}
		v := tg.PollAnswerVoters{Option: pa.Option}
		count := 0
		if i < len(voters) {
			count = voters[i]
		}
		total += count
		v.SetVoters(count)
		v.SetChosen(slices.Contains(chosen, i))
		list = append(list, v)
	}
	res.SetResults(list)
	res.SetTotalVoters(total)
	return res
}

// sendPoll handles messages.sendMedia with a poll, checking it as Telegram does. Answers sent
// without options get "0", "1", ...
func (n *Network) sendPoll(s *tgtest.Server, req *tgtest.Request, from int64, sent Sent, m *tg.InputMediaPoll, randomID int64) error {
	poll := m.Poll
	question := poll.Question.Text
	switch {
	case question == "" || utf8.RuneCountInString(question) > 255:
		return s.SendErr(req, tgerr.New(400, "POLL_QUESTION_INVALID"))
	case len(poll.Answers) < 2 || len(poll.Answers) > 10:
		return s.SendErr(req, tgerr.New(400, "POLL_ANSWERS_INVALID"))
	case poll.Quiz && len(m.CorrectAnswers) != 1:
		return s.SendErr(req, tgerr.New(400, "QUIZ_CORRECT_ANSWERS_EMPTY"))
	}
	answers := make([]tg.PollAnswerClass, 0, len(poll.Answers))
	for i, a := range poll.Answers {
		text := a.GetText()
		if text.Text == "" || utf8.RuneCountInString(text.Text) > 100 {
			return s.SendErr(req, tgerr.New(400, "POLL_ANSWER_INVALID"))
		}
		option := []byte(strconv.Itoa(i))
		if pa, ok := a.(*tg.PollAnswer); ok && len(pa.Option) > 0 {
			option = pa.Option
		}
		if slices.ContainsFunc(sent.Options, func(o []byte) bool { return bytes.Equal(o, option) }) {
			return s.SendErr(req, tgerr.New(400, "POLL_OPTION_DUPLICATE"))
		}
		answers = append(answers, &tg.PollAnswer{Text: text, Option: option})
		sent.Answers = append(sent.Answers, text.Text)
		sent.Options = append(sent.Options, option)
	}
	poll.Answers = answers
	sent.Media, sent.Question, sent.MultipleChoice = "poll", question, poll.MultipleChoice
	n.mu.Lock()
	n.nextMsg[from]++
	sent.ID = n.nextMsg[from]
	n.addPoll(from, sent.ID, sent.To, &poll)
	n.mu.Unlock()
	n.sent <- sent
	// Like Telegram, answer with the new message, which carries the poll's ID and options.
	poll.SetFlags()
	media := &tg.MessageMediaPoll{Poll: poll}
	media.SetFlags()
	now := int(time.Now().Unix())
	msg := &tg.Message{ID: sent.ID, Out: true, PeerID: &tg.PeerUser{UserID: sent.To}, FromID: &tg.PeerUser{UserID: from}, Media: media, Date: now}
	msg.SetFlags()
	u := &tg.UpdateNewMessage{Message: msg, PtsCount: 1}
	n.mu.Lock()
	users, _ := n.peerEntities(n.users[from], sent.To)
	if sent.ToChannel == 0 { // the fake keeps polls per account, even in channels
		n.own(from, users, u)
	}
	n.mu.Unlock()
	return s.SendResult(req, &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateMessageID{ID: sent.ID, RandomID: randomID}, u},
		Users:   users, Date: now,
	})
}

// sendVote handles messages.sendVote: the account votes (or, with no options, takes its vote
// back) on a poll of its private chats or basic groups.
func (n *Network) sendVote(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesSendVoteRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	peer := pollPeerOf(r.Peer)
	if peer == 0 {
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	n.mu.Lock()
	fp, known := n.polls.byMsg[pollKey{me.ID, r.MsgID}]
	var poll tg.Poll
	if known {
		known = fp.peer == peer
		poll = fp.poll
	}
	n.mu.Unlock()
	switch {
	case !known:
		return s.SendErr(req, tgerr.New(400, "MESSAGE_ID_INVALID"))
	case poll.Closed:
		return s.SendErr(req, tgerr.New(400, "MESSAGE_POLL_CLOSED"))
	case len(r.Options) > 1 && !poll.MultipleChoice:
		return s.SendErr(req, tgerr.New(400, "OPTIONS_TOO_MUCH"))
	}
	chosen := make([]int, 0, len(r.Options))
	for _, o := range r.Options {
		i := slices.IndexFunc(poll.Answers, func(a tg.PollAnswerClass) bool {
			pa, ok := a.(*tg.PollAnswer)
			return ok && bytes.Equal(pa.Option, o)
		})
		if i < 0 {
			return s.SendErr(req, tgerr.New(400, "OPTION_INVALID"))
		}
		chosen = append(chosen, i)
	}
	n.mu.Lock()
	fp.vote(me.ID, chosen)
	counts := fp.counts()
	updPeer, _, _ := n.pollPeer(fp)
	n.mu.Unlock()
	sent := Sent{Kind: "vote", From: me.ID, ID: r.MsgID, Options: r.Options}
	if peer < 0 {
		sent.ToChat = -peer
	} else {
		sent.To = peer
	}
	n.sent <- sent
	u := &tg.UpdateMessagePoll{PollID: poll.ID, Results: pollResults(&poll, counts, chosen)}
	if updPeer != nil {
		u.SetPeer(updPeer)
		u.SetMsgID(r.MsgID)
	}
	return s.SendResult(req, &tg.Updates{Updates: []tg.UpdateClass{u}, Date: int(time.Now().Unix())})
}

// pollPeerOf is how fakePoll.peer names the chat of an input peer: the user of a private chat,
// minus a basic group's ID, or 0 for other peers.
func pollPeerOf(p tg.InputPeerClass) int64 {
	switch p := p.(type) {
	case *tg.InputPeerUser:
		return p.UserID
	case *tg.InputPeerChat:
		return -p.ChatID
	}
	return 0
}
