package connector

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// Other people's votes in public polls. When a poll whose voters are public changes (it
// arrives, its results change, its message is edited), the bridge asks Telegram who voted for
// what (messages.getPollVotes) and shows each other voter's current choice as a poll response
// from their ghost (or, for another login of this bridge, their Matrix user); a vote taken
// back becomes an empty response. What was last bridged for each voter is kept with the poll,
// so unchanged votes are not sent again.
//
// This runs in the portal's event loop, after the poll and the account's own vote: each run
// lists the votes as they are then, so the last run shows the newest state even when updates
// arrive out of order. Telegram lists votes only to those who voted (POLL_VOTE_REQUIRED) until
// the poll closes; any failure leaves the votes as last bridged, with a debug log.
//
// The responses are sent straight to the room and not stored as messages: nothing on Telegram
// refers to them.

const (
	// maxPollVoters caps the votes listed per run; past it, the bridge cannot tell who took a
	// vote back, so it bridges only changed and new votes.
	maxPollVoters = 1000
	// pollVotesPage is how many votes the bridge asks for at once.
	pollVotesPage = 50
	// pollVotersTimeout bounds a run, which holds up the portal's other events.
	pollVotersTimeout = 20 * time.Second
)

// mayListVoters says whether Telegram would list a poll's voters to the account: once the poll
// is closed, or once the account voted. Results that are not "min" say whether it did.
func mayListVoters(closed bool, results tg.PollResults) bool {
	if closed || results.Min {
		return true
	}
	return slices.ContainsFunc(results.Results, func(r tg.PollAnswerVoters) bool { return r.Chosen })
}

// queuePollVoters bridges, in the portal's order, the votes of a public poll that changed. It
// rides on a message event, as the account's own vote does; its converter sends the voters'
// responses itself (each has its own sender) and then cancels the event, which has nothing of
// its own to show.
func (tc *Client) queuePollVoters(ctx context.Context, portal networkid.PortalKey, msgID networkid.MessageID) {
	self := bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: networkidOfLogin(tc)}
	tc.queue(ctx, &simplevent.Message[networkid.MessageID]{
		EventMeta: simplevent.EventMeta{Type: bridgev2.RemoteEventMessage, PortalKey: portal, Sender: self, Timestamp: time.Now()},
		ID:        ids.PollVoteID(msgID, "voters-"+strconv.FormatInt(time.Now().UnixNano(), 10)),
		Data:      msgID,
		ConvertMessageFunc: func(ctx context.Context, p *bridgev2.Portal, _ bridgev2.MatrixAPI, msgID networkid.MessageID) (*bridgev2.ConvertedMessage, error) {
			tc.syncPollVoters(ctx, p, msgID)
			return nil, errVotersBridged
		},
	})
}

// errVotersBridged ends the event that bridged a public poll's voters.
var errVotersBridged = fmt.Errorf("%w: poll voters bridged one by one", bridgev2.ErrIgnoringRemoteEvent)

// syncPollVoters lists a poll's votes and bridges those that changed since last bridged.
func (tc *Client) syncPollVoters(ctx context.Context, portal *bridgev2.Portal, msgID networkid.MessageID) {
	log := zerolog.Ctx(ctx).With().Str("message_id", string(msgID)).Logger()
	if portal.MXID == "" {
		return
	}
	msg, meta, err := tc.storedPoll(ctx, msgID)
	if err != nil {
		log.Debug().Err(err).Msg("Not bridging the votes of a poll that was not bridged")
		return
	}
	votes, complete, err := tc.listPollVotes(ctx, portal, msgID)
	if err != nil {
		log.Debug().Err(err).Msg("Not bridging who voted in a public poll: Telegram did not list the votes")
		return
	}
	changes := meta.voteChanges(meta.voterChoices(votes), complete, int64FromLogin(tc))
	sent := 0
	for _, c := range changes {
		if err := tc.sendVoterResponse(ctx, portal, msg.MXID, c); err != nil {
			log.Debug().Err(err).Int64("user_id", c.userID).Msg("Failed to bridge a vote in a public poll")
			continue
		}
		meta.setVote(c.userID, c.answers)
		sent++
	}
	if sent == 0 {
		return
	}
	if err := tc.conn.Bridge.DB.Message.Update(ctx, msg); err != nil {
		log.Debug().Err(err).Msg("Failed to save the votes bridged in a public poll")
	}
}

// listPollVotes asks Telegram who voted for what in a poll, a page at a time.
func (tc *Client) listPollVotes(ctx context.Context, portal *bridgev2.Portal, msgID networkid.MessageID) ([]tg.MessagePeerVoteClass, bool, error) {
	_, n, err := ids.ParseMessageID(msgID)
	if err != nil {
		return nil, false, err
	}
	api, peer, err := tc.target(portal)
	if err != nil {
		return nil, false, err
	}
	ctx, cancel := context.WithTimeout(ctx, pollVotersTimeout)
	defer cancel()
	return collectVotes(func(offset string, limit int) (*tg.MessagesVotesList, error) {
		req := &tg.MessagesGetPollVotesRequest{Peer: peer, ID: n, Limit: limit}
		if offset != "" {
			req.SetOffset(offset)
		}
		res, err := api.MessagesGetPollVotes(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("get poll votes: %w", err)
		}
		for _, u := range res.Users {
			if user, ok := u.(*tg.User); ok {
				tc.remember(user)
			}
		}
		return res, nil
	})
}

// collectVotes pages through a votes list with page until Telegram has no more or the cap is
// reached. complete says the votes are all there are, so a voter missing from them has none.
func collectVotes(page func(offset string, limit int) (*tg.MessagesVotesList, error)) (votes []tg.MessagePeerVoteClass, complete bool, err error) {
	offset := ""
	for len(votes) < maxPollVoters {
		res, err := page(offset, min(pollVotesPage, maxPollVoters-len(votes)))
		if err != nil {
			return nil, false, err
		}
		votes = append(votes, res.Votes...)
		next, more := res.GetNextOffset()
		switch {
		case !more || next == "":
			return votes, true, nil
		case next == offset || len(res.Votes) == 0:
			return votes, false, nil // Telegram is not moving on: stop, unsure of the rest
		}
		offset = next
	}
	return votes[:maxPollVoters], false, nil
}

// voteChange is a voter's new choice to bridge: Matrix answer IDs, none for a vote taken back.
type voteChange struct {
	userID  int64
	answers []string
}

// voterChoices reads a votes list: each user's chosen answers (Matrix IDs, in answer order, at
// most one in a single-choice poll). A user who voted for options the bridge cannot tell (the
// list hides them, or the poll has no such answer) maps to nil. Channels voting in their own
// name are left out.
func (p *PollMetadata) voterChoices(votes []tg.MessagePeerVoteClass) map[int64][]string {
	options := map[int64][][]byte{}
	for _, v := range votes {
		if v == nil {
			continue
		}
		user, ok := v.GetPeer().(*tg.PeerUser)
		if !ok || user.UserID == 0 {
			continue
		}
		switch v := v.(type) {
		case *tg.MessagePeerVote:
			options[user.UserID] = append(options[user.UserID], v.Option)
		case *tg.MessagePeerVoteMultiple:
			options[user.UserID] = append(options[user.UserID], v.Options...)
		default:
			options[user.UserID] = append(options[user.UserID], nil)
		}
	}
	choices := make(map[int64][]string, len(options))
	for userID, opts := range options {
		var answers []string
		for _, a := range p.Answers {
			if len(a.Option) > 0 && slices.ContainsFunc(opts, func(o []byte) bool { return string(o) == string(a.Option) }) {
				answers = append(answers, a.ID)
			}
		}
		if !p.MultipleChoice && len(answers) > 1 {
			answers = answers[:1]
		}
		choices[userID] = answers
	}
	return choices
}

// voteChanges compares the voters' current choices with what was last bridged: a voter whose
// known choice differs, and (when the list is complete) a voter last bridged with a vote who
// is no longer listed, who took it back. self, the account, is left out: its vote is bridged
// from the poll's results. The changes are in user ID order.
func (p *PollMetadata) voteChanges(now map[int64][]string, complete bool, self int64) []voteChange {
	var changes []voteChange
	for userID, answers := range now {
		if userID != self && len(answers) > 0 && !slices.Equal(answers, p.Votes[userID]) {
			changes = append(changes, voteChange{userID: userID, answers: answers})
		}
	}
	if complete {
		for userID := range p.Votes {
			if _, listed := now[userID]; !listed && userID != self {
				changes = append(changes, voteChange{userID: userID, answers: []string{}})
			}
		}
	}
	slices.SortFunc(changes, func(a, b voteChange) int { return cmp.Compare(a.userID, b.userID) })
	return changes
}

// setVote records what was bridged of a voter's choice.
func (p *PollMetadata) setVote(userID int64, answers []string) {
	if len(answers) == 0 {
		delete(p.Votes, userID)
		return
	}
	if p.Votes == nil {
		p.Votes = map[int64][]string{}
	}
	p.Votes[userID] = answers
}

// sendVoterResponse sends a voter's choice as a poll response from them.
func (tc *Client) sendVoterResponse(ctx context.Context, portal *bridgev2.Portal, pollEvent id.EventID, c voteChange) error {
	intent, ok := portal.GetIntentFor(ctx, tc.memberSender(c.userID), tc.login, bridgev2.RemoteEventMessage)
	if !ok || intent == nil {
		return errors.New("no Matrix user to vote as")
	}
	part := tgconv.PollResponsePart(pollEvent, c.answers)
	content := &event.Content{Parsed: part.Content, Raw: part.Extra}
	if _, err := intent.SendMessage(ctx, portal.MXID, part.Type, content, &bridgev2.MatrixSendExtra{Timestamp: time.Now()}); err != nil {
		return fmt.Errorf("send poll response: %w", err)
	}
	return nil
}
