package connector

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// What happens to a poll after it is posted, from Telegram. Telegram reports a poll's state
// (tallies, the account's own choice, whether it is closed) in updateMessagePoll and in edits
// of the poll's message. The bridge shows in Matrix:
//
//   - the account's own vote, made in another Telegram app, as a poll response from the
//     user's double puppet (or their ghost), whenever it differs from what was last bridged;
//   - the poll's end as an MSC3381 poll end from the poll's author, with Telegram's final
//     tally in its text and in a notice.
//
// Other people's votes are bridged one by one only in polls whose voters are public
// (polls_voters.go); in anonymous polls Telegram gives counts, which have no Matrix form short
// of the final tally.
//
// Updates without a pts (as updateMessagePoll) may reach the handlers out of order when two
// come close together; the bridge then shows the state of the one handled last.

// errUnknownPoll cancels a poll event whose poll was never bridged.
var errUnknownPoll = fmt.Errorf("%w: poll not bridged", bridgev2.ErrIgnoringRemoteEvent)

// handlePollUpdate bridges new results of a poll. Newer layers name the poll's message; older
// ones only the poll, which the bridge then looks up by its ID.
func (tc *Client) handlePollUpdate(ctx context.Context, u *tg.UpdateMessagePoll) {
	var msgID networkid.MessageID
	peer, hasPeer := u.GetPeer()
	if n, ok := u.GetMsgID(); ok && n > 0 && hasPeer {
		msgID = ids.MessageIDOf(peer, n)
	} else if msgID = tc.pollMessage(ctx, u.PollID); msgID == "" {
		zerolog.Ctx(ctx).Debug().Int64("poll_id", u.PollID).Msg("Ignoring results of a poll that was not bridged")
		return
	}
	msg, err := tc.message(ctx, msgID)
	if err != nil || msg == nil || pollMetadataOf(msg.Metadata) == nil {
		zerolog.Ctx(ctx).Debug().Err(err).Str("message_id", string(msgID)).Msg("Ignoring results of a poll that was not bridged")
		return
	}
	author := bridgev2.EventSender{Sender: msg.SenderID}
	if msg.SenderID == networkidOfLogin(tc) {
		author = bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: msg.SenderID}
	}
	poll, hasPoll := u.GetPoll()
	public := pollMetadataOf(msg.Metadata).PublicVoters || (hasPoll && poll.PublicVoters)
	tc.syncPoll(ctx, msg.Room, msgID, author, hasPoll && poll.Closed, public, u.Results)
}

// syncPollMessage bridges the state of a poll that came in a new or edited message.
func (tc *Client) syncPollMessage(ctx context.Context, portal networkid.PortalKey, msg *tg.Message, media *tg.MessageMediaPoll) {
	msgID := ids.MessageIDOf(msg.PeerID, msg.ID)
	tc.rememberPoll(context.WithoutCancel(ctx), media.Poll.ID, msgID)
	tc.syncPoll(ctx, portal, msgID, tc.senderOf(msg), media.Poll.Closed, media.Poll.PublicVoters, media.Results)
}

// syncPoll queues the account's vote (the portal loop bridges it if it changed), for a public
// poll the other voters' votes, and for a closed poll its end.
func (tc *Client) syncPoll(ctx context.Context, portal networkid.PortalKey, msgID networkid.MessageID, author bridgev2.EventSender, closed, public bool, results tg.PollResults) {
	if !results.Min {
		self := bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: networkidOfLogin(tc)}
		tc.queue(ctx, &simplevent.Message[tg.PollResults]{
			EventMeta: simplevent.EventMeta{Type: bridgev2.RemoteEventMessage, PortalKey: portal, Sender: self, Timestamp: time.Now()},
			ID:        ids.PollVoteID(msgID, strconv.FormatInt(time.Now().UnixNano(), 10)),
			Data:      results,
			ConvertMessageFunc: func(ctx context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, r tg.PollResults) (*bridgev2.ConvertedMessage, error) {
				return tc.convertOwnVote(ctx, msgID, r)
			},
		})
	}
	if public && mayListVoters(closed, results) {
		tc.queuePollVoters(ctx, portal, msgID)
	}
	if closed {
		tc.queue(ctx, &simplevent.Message[tg.PollResults]{
			EventMeta: simplevent.EventMeta{Type: bridgev2.RemoteEventMessage, PortalKey: portal, Sender: author, Timestamp: time.Now()},
			ID:        ids.PollEndID(msgID),
			Data:      results,
			ConvertMessageFunc: func(ctx context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, r tg.PollResults) (*bridgev2.ConvertedMessage, error) {
				return tc.convertPollEnd(ctx, msgID, r)
			},
		})
	}
}

// storedPoll loads a bridged poll's message and metadata. It runs in the portal loop, after
// the poll itself and any Matrix vote on it were handled.
func (tc *Client) storedPoll(ctx context.Context, msgID networkid.MessageID) (*database.Message, *PollMetadata, error) {
	msg, err := tc.message(ctx, msgID)
	if err != nil {
		return nil, nil, fmt.Errorf("get poll message: %w", err)
	}
	if msg == nil || pollMetadataOf(msg.Metadata) == nil {
		return nil, nil, errUnknownPoll
	}
	return msg, pollMetadataOf(msg.Metadata), nil
}

// convertOwnVote is the account's vote as a poll response, if it changed since last bridged.
func (tc *Client) convertOwnVote(ctx context.Context, msgID networkid.MessageID, results tg.PollResults) (*bridgev2.ConvertedMessage, error) {
	msg, meta, err := tc.storedPoll(ctx, msgID)
	if err != nil {
		return nil, err
	}
	chosen, known := meta.Chosen(results)
	if !known || slices.Equal(chosen, meta.MyVote) {
		return nil, fmt.Errorf("%w: own vote unchanged", bridgev2.ErrIgnoringRemoteEvent)
	}
	meta.MyVote = chosen
	if err = tc.conn.Bridge.DB.Message.Update(ctx, msg); err != nil {
		return nil, fmt.Errorf("save own poll vote: %w", err)
	}
	return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{tgconv.PollResponsePart(msg.MXID, chosen)}}, nil
}

// convertPollEnd is the end of a poll with Telegram's final tally.
func (tc *Client) convertPollEnd(ctx context.Context, msgID networkid.MessageID, results tg.PollResults) (*bridgev2.ConvertedMessage, error) {
	msg, meta, err := tc.storedPoll(ctx, msgID)
	if err != nil {
		return nil, err
	}
	meta.Closed = true
	if err = tc.conn.Bridge.DB.Message.Update(ctx, msg); err != nil {
		return nil, fmt.Errorf("save closed poll: %w", err)
	}
	return &bridgev2.ConvertedMessage{Parts: tgconv.PollEndParts(msg.MXID, meta.ResultsText(results))}, nil
}

// pollKey is where the bridge keeps the message of a poll, for updates that name the poll only.
func (tc *Client) pollKey(pollID int64) database.Key {
	return database.Key("telegram_poll:" + string(tc.login.ID) + ":" + strconv.FormatInt(pollID, 10))
}

// rememberPoll records which message carries a poll.
func (tc *Client) rememberPoll(ctx context.Context, pollID int64, msgID networkid.MessageID) {
	if pollID != 0 {
		tc.conn.Bridge.DB.KV.Set(ctx, tc.pollKey(pollID), string(msgID))
	}
}

// pollMessage is the message of a poll, or "" if the bridge has not seen it.
func (tc *Client) pollMessage(ctx context.Context, pollID int64) networkid.MessageID {
	return networkid.MessageID(tc.conn.Bridge.DB.KV.Get(ctx, tc.pollKey(pollID)))
}
