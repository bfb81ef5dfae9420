package connector

import (
	"context"
	"strconv"
	"time"

	"github.com/gotd/td/tg"
	"go.mau.fi/util/variationselector"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// Telegram lets an account put one reaction on a message, three with Premium. Past the limit
// the bridge replaces the oldest, as Telegram's apps do.
const (
	maxReactions        = 1
	maxPremiumReactions = 3
)

// reactionLimit is how many reactions the logged-in account may put on one message.
func (tc *Client) reactionLimit() int {
	if tc.isPremium() {
		return maxPremiumReactions
	}
	return maxReactions
}

// isPremium says whether the logged-in account has Telegram Premium, as of the last time
// Telegram described it.
func (tc *Client) isPremium() bool {
	selfID, err := strconv.ParseInt(string(tc.login.ID), 10, 64)
	if err != nil {
		return false
	}
	self, ok := tc.user(selfID)
	return ok && self.Premium
}

var _ bridgev2.ReactionHandlingNetworkAPI = (*Client)(nil)

// emojiID is the key under which the bridge stores a reaction: the emoji without variation
// selectors, so that "❤️" from Matrix and "❤" from Telegram are the same reaction.
func emojiID(emoji string) networkid.EmojiID {
	return networkid.EmojiID(variationselector.Remove(emoji))
}

// PreHandleMatrixReaction names the reaction so the bridge can de-duplicate it.
func (tc *Client) PreHandleMatrixReaction(_ context.Context, msg *bridgev2.MatrixReaction) (bridgev2.MatrixReactionPreResponse, error) {
	return bridgev2.MatrixReactionPreResponse{
		SenderID:     networkidOfLogin(tc),
		EmojiID:      emojiID(msg.Content.RelatesTo.Key),
		Emoji:        variationselector.FullyQualify(msg.Content.RelatesTo.Key),
		MaxReactions: tc.reactionLimit(),
	}, nil
}

// HandleMatrixReaction sets the user's reactions on a message: the ones kept plus the new one.
// Telegram rejects emoji outside the chat's allowed set; the user then gets a notice.
func (tc *Client) HandleMatrixReaction(ctx context.Context, msg *bridgev2.MatrixReaction) (_ *database.Reaction, sendErr error) {
	defer metrics.Sent("reaction", time.Now(), &sendErr)
	emojis := make([]string, 0, len(msg.ExistingReactionsToKeep)+1)
	for _, kept := range msg.ExistingReactionsToKeep {
		emojis = append(emojis, string(kept.EmojiID))
	}
	emojis = append(emojis, string(msg.PreHandleResp.EmojiID))
	if err := tc.sendReactions(ctx, msg.Portal, msg.TargetMessage.ID, emojis); err != nil {
		return nil, err
	}
	return &database.Reaction{}, nil
}

// HandleMatrixReactionRemove takes the user's reaction off a message, keeping their others.
func (tc *Client) HandleMatrixReactionRemove(ctx context.Context, msg *bridgev2.MatrixReactionRemove) (sendErr error) {
	defer metrics.Sent("reaction_remove", time.Now(), &sendErr)
	target := msg.TargetReaction
	all, err := tc.conn.Bridge.DB.Reaction.GetAllToMessageBySender(ctx, tc.login.ID, target.MessageID, target.SenderID)
	if err != nil {
		return err
	}
	var emojis []string
	for _, r := range all {
		if r.EmojiID != target.EmojiID {
			emojis = append(emojis, string(r.EmojiID))
		}
	}
	return tc.sendReactions(ctx, msg.Portal, target.MessageID, emojis)
}

// sendReactions replaces the account's reactions on a message with emojis (none removes all).
func (tc *Client) sendReactions(ctx context.Context, portal *bridgev2.Portal, target networkid.MessageID, emojis []string) error {
	_, msgID, err := ids.ParseMessageID(target)
	if err != nil {
		return err
	}
	api, peer, err := tc.target(portal)
	if err != nil {
		return err
	}
	req := &tg.MessagesSendReactionRequest{Peer: peer, MsgID: msgID}
	reactions := make([]tg.ReactionClass, 0, len(emojis))
	for _, e := range emojis {
		reactions = append(reactions, telegramReaction(networkid.EmojiID(e)))
	}
	req.SetReaction(reactions)
	if _, err = api.MessagesSendReaction(ctx, req); err != nil {
		return notAccepted("change", err)
	}
	return nil
}

// handleReactions bridges the reactions Telegram reports on a message as a full sync: the
// bridge adds what is new and removes what is gone.
func (tc *Client) handleReactions(ctx context.Context, u *tg.UpdateMessageReactions) {
	portal, ok := ids.PortalKey(u.Peer, tc.login.ID)
	if !ok {
		return
	}
	tc.learnCustomEmoji(ctx, u.Reactions)
	tc.queue(ctx, &simplevent.ReactionSync{
		EventMeta:     simplevent.EventMeta{Type: bridgev2.RemoteEventReactionSync, PortalKey: portal, Timestamp: time.Now()},
		TargetMessage: ids.MessageIDOf(u.Peer, u.MsgID),
		Reactions:     tc.reactionSync(u.Reactions),
	})
}

// reactionSync turns Telegram's reaction summary into who reacted with what. Telegram names
// the reactors in RecentReactions (all of them in private chats and small groups) and marks
// the account's own choices with ChosenOrder. When the names cover every counted reaction,
// the result says it has all users, so reactions that are gone get removed; otherwise only
// the named ones are added. A Min summary carries no ChosenOrder, so it says nothing about ours.
// Custom emoji show as the emoji they stand for (reactions_custom.go); paid reactions have no
// Matrix form and are left out.
func (tc *Client) reactionSync(r tg.MessageReactions) *bridgev2.ReactionSyncData {
	self := networkidOfLogin(tc)
	out := &bridgev2.ReactionSyncData{Users: map[networkid.UserID]*bridgev2.ReactionSyncUser{}}
	named, total := 0, 0
	add := func(sender bridgev2.EventSender, id networkid.EmojiID, emoji string, ts time.Time) {
		user := out.Users[sender.Sender]
		if user == nil {
			// Others may have Premium: only Telegram's hard limit is known for them.
			limit := maxPremiumReactions
			if sender.Sender == self {
				limit = tc.reactionLimit()
			}
			user = &bridgev2.ReactionSyncUser{MaxCount: limit}
			out.Users[sender.Sender] = user
		}
		for _, have := range user.Reactions {
			if have.EmojiID == id {
				return
			}
		}
		user.Reactions = append(user.Reactions, &bridgev2.BackfillReaction{
			Sender: sender, EmojiID: id, Emoji: emoji, Timestamp: ts,
		})
		named++
	}
	for _, recent := range r.RecentReactions {
		id, emoji, ok := tc.reactionKey(recent.Reaction)
		peer, isUser := recent.PeerID.(*tg.PeerUser)
		if !ok || !isUser {
			continue
		}
		sender := bridgev2.EventSender{Sender: ids.UserID(peer.UserID)}
		if recent.My || sender.Sender == self {
			sender = bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: self}
		}
		add(sender, id, emoji, time.Unix(int64(recent.Date), 0))
	}
	for _, count := range r.Results {
		id, emoji, ok := tc.reactionKey(count.Reaction)
		if !ok {
			continue
		}
		total += count.Count
		if _, chosen := count.GetChosenOrder(); chosen {
			add(bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: self}, id, emoji, time.Time{})
		}
	}
	out.HasAllUsers = named >= total
	// The account's own choices are complete unless Telegram left them out (Min); others'
	// only when everyone is named.
	if _, ok := out.Users[self]; !ok && !r.Min {
		out.Users[self] = &bridgev2.ReactionSyncUser{}
	}
	for id, user := range out.Users {
		user.HasAllReactions = out.HasAllUsers || (id == self && !r.Min)
	}
	return out
}
