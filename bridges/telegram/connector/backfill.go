package connector

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

var _ bridgev2.BackfillingNetworkAPI = (*Client)(nil)

// FetchMessages reads a private chat's history with messages.getHistory: the newest messages
// of a new portal, or (forward, from an anchor) what arrived while the bridge was away.
func (tc *Client) FetchMessages(ctx context.Context, params bridgev2.FetchMessagesParams) (fetched *bridgev2.FetchMessagesResponse, fetchErr error) {
	defer func() {
		if fetched != nil {
			metrics.Backfilled(metrics.BackfillKind(params.Forward), len(fetched.Messages))
		}
	}()
	api, peer, err := tc.target(params.Portal)
	if err != nil {
		return nil, err
	}
	req := &tg.MessagesGetHistoryRequest{Peer: peer, Limit: max(params.Count, 1)}
	initialBound(params, req) // a new room's backfill ends with the message that opened it
	if params.AnchorMessage != nil {
		_, anchor, err := ids.ParseMessageID(params.AnchorMessage.ID)
		if err != nil {
			return nil, err
		}
		if params.Forward {
			// The oldest messages after the anchor, not the newest: catching up must not put
			// the newest messages ahead of older ones the updates' difference is still
			// bringing (the difference and a backfill take turns on the portal, in order).
			req.MinID, req.OffsetID, req.AddOffset = anchor, anchor+1, -req.Limit
		} else {
			req.OffsetID = anchor
		}
	}
	res, err := api.MessagesGetHistory(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("get history: %w", err)
	}
	msgs, users, chats := historyOf(res)
	for _, u := range users {
		if user, ok := u.(*tg.User); ok {
			tc.remember(user)
		}
	}
	tc.rememberChats(chats)
	out := make([]*bridgev2.BackfillMessage, 0, len(msgs))
	for _, raw := range msgs {
		if s, ok := raw.(*tg.MessageService); ok {
			if bm := tc.backfillService(s); bm != nil {
				out = append(out, bm)
			}
			continue
		}
		m, ok := raw.(*tg.Message)
		if !ok {
			continue
		}
		out = append(out, &bridgev2.BackfillMessage{
			ConvertedMessage: tc.convertWithMedia(ctx, params.Portal, tc.conn.Bridge.Bot, m),
			Sender:           tc.senderOf(m),
			ID:               ids.MessageIDOf(m.PeerID, m.ID),
			Timestamp:        time.Unix(int64(m.Date), 0),
		})
	}
	// Telegram answers newest first; Matrix wants them in order.
	slices.Reverse(out)
	if params.Forward && params.AnchorMessage != nil {
		// Every message here is newer than the anchor by ID (min_id), but Telegram's times have
		// one-second resolution and bridgev2 drops forward-backfilled messages whose time is not
		// after the last bridged one. Keep times strictly increasing so none is lost.
		prev := params.AnchorMessage.Timestamp
		for _, m := range out {
			if !m.Timestamp.After(prev) {
				m.Timestamp = prev.Add(time.Millisecond)
			}
			prev = m.Timestamp
		}
	}
	return &bridgev2.FetchMessagesResponse{
		Messages: out,
		Forward:  params.Forward,
		HasMore:  !params.Forward && len(msgs) >= req.Limit,
		// The times above are not the stored ones, so bridgev2's cut-off by time cannot tell
		// what the live updates already bridged: check every message against the database.
		AggressiveDeduplication: true,
	}, nil
}

// backfillService is a service message of the chat's history as the notice it would have
// been live (topics, calls, pins' and members' notices...), or nil for those that only change
// the room's state: history cannot replay those, the room's info shows their outcome.
func (tc *Client) backfillService(m *tg.MessageService) *bridgev2.BackfillMessage {
	sender := bridgev2.EventSender{}
	if from, ok := m.FromID.(*tg.PeerUser); ok {
		sender = tc.memberSender(from.UserID)
	} else if channel := ids.ChannelOf(m.PeerID); channel != 0 {
		sender = bridgev2.EventSender{Sender: ids.ChannelUserID(channel)}
	}
	var conv *bridgev2.ConvertedMessage
	if text := tgconv.TopicNotice(m.Action); text != "" {
		conv = tgconv.TopicMessage(m, text)
	} else if text, ok := tgconv.ServiceNotice(m.Action, tc.senderName(sender)); ok {
		conv = &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
			Type: event.EventMessage, Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: text},
		}}}
	} else {
		return nil
	}
	return &bridgev2.BackfillMessage{ConvertedMessage: conv, Sender: sender, ID: ids.MessageIDOf(m.PeerID, m.ID), Timestamp: time.Unix(int64(m.Date), 0)}
}

// historyOf unpacks the three shapes of a getHistory answer.
func historyOf(res tg.MessagesMessagesClass) ([]tg.MessageClass, []tg.UserClass, []tg.ChatClass) {
	switch r := res.(type) {
	case *tg.MessagesMessages:
		return r.Messages, r.Users, r.Chats
	case *tg.MessagesMessagesSlice:
		return r.Messages, r.Users, r.Chats
	case *tg.MessagesChannelMessages:
		return r.Messages, r.Users, r.Chats
	}
	return nil, nil, nil
}

// catchUp runs after every (re)connect: for each chat with a newer top message than
// the bridge saw, bridgev2 backfills forward from the last bridged message, so nothing sent
// while the bridge was away is missed.
func (tc *Client) catchUp(ctx context.Context, api *tg.Client) {
	res, err := api.MessagesGetDialogs(ctx, &tg.MessagesGetDialogsRequest{OffsetPeer: &tg.InputPeerEmpty{}, Limit: 100})
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to list chats for catch-up")
		return
	}
	dialogs, ok := res.AsModified()
	if !ok {
		return
	}
	// Message numbers are per account, or per channel: key the top messages by both.
	tops := map[networkid.MessageID]time.Time{}
	for _, raw := range dialogs.GetMessages() {
		if m, ok := raw.(*tg.Message); ok {
			tops[ids.MessageIDOf(m.PeerID, m.ID)] = time.Unix(int64(m.Date), 0)
		}
	}
	tc.rememberChats(dialogs.GetChats())
	for _, raw := range dialogs.GetUsers() {
		if user, ok := raw.(*tg.User); ok {
			tc.remember(user)
		}
	}
	zerolog.Ctx(ctx).Debug().Int("dialogs", len(dialogs.GetDialogs())).Msg("Catching up on chats after connecting")
	for _, raw := range dialogs.GetDialogs() {
		d, ok := raw.(*tg.Dialog)
		if !ok {
			continue
		}
		portal, ok := ids.PortalKey(d.Peer, tc.login.ID)
		if !ok {
			continue
		}
		if channel := ids.ChannelOf(d.Peer); channel != 0 {
			tc.joinShared(ctx, channel)
		}
		top := d.TopMessage
		tc.queue(ctx, &simplevent.ChatResync{
			EventMeta:       simplevent.EventMeta{Type: bridgev2.RemoteEventChatResync, PortalKey: portal},
			LatestMessageTS: tops[ids.MessageIDOf(d.Peer, top)],
			// Message IDs only grow, unlike second-resolution timestamps: compare those.
			CheckNeedsBackfillFunc: func(_ context.Context, latest *database.Message) (bool, error) {
				if latest == nil {
					return true, nil
				}
				_, bridged, err := ids.ParseMessageID(latest.ID)
				if err != nil {
					return false, err
				}
				return top > bridged, nil
			},
		})
	}
}
