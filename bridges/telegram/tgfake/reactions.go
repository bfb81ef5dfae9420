package tgfake

import (
	"context"
	"strconv"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// AllowedReactions is the emoji the fake accepts as reactions, like Telegram's default set
// for accounts without Premium (a subset is enough for tests).
var AllowedReactions = map[string]bool{"👍": true, "👎": true, "❤": true, "🔥": true, "😁": true, "🎉": true}

// Reaction is one person's reaction for DeliverReactions: an emoji, or a custom emoji (see
// AddCustomEmoji) when CustomEmoji is set.
type Reaction struct {
	User        *tg.User
	Emoji       string
	CustomEmoji int64
}

// key names the reaction in counts and in Sent.Reactions ("custom:<id>" for custom emoji).
func (r Reaction) key() string {
	if r.CustomEmoji != 0 {
		return "custom:" + strconv.FormatInt(r.CustomEmoji, 10)
	}
	return r.Emoji
}

func (r Reaction) reaction() tg.ReactionClass {
	if r.CustomEmoji != 0 {
		return &tg.ReactionCustomEmoji{DocumentID: r.CustomEmoji}
	}
	return &tg.ReactionEmoji{Emoticon: r.Emoji}
}

func (n *Network) sendReaction(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesSendReactionRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	var to, chat, channel int64
	switch peer := r.Peer.(type) {
	case *tg.InputPeerUser:
		to = peer.UserID
	case *tg.InputPeerChat:
		chat = peer.ChatID
	case *tg.InputPeerChannel:
		channel = peer.ChannelID
	default:
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	var emojis []string
	for _, reaction := range r.Reaction {
		switch e := reaction.(type) {
		case *tg.ReactionEmoji:
			if !AllowedReactions[e.Emoticon] {
				return s.SendErr(req, tgerr.New(400, "REACTION_INVALID"))
			}
			emojis = append(emojis, e.Emoticon)
		case *tg.ReactionCustomEmoji:
			if n.customEmojiAlt(e.DocumentID) == "" {
				return s.SendErr(req, tgerr.New(400, "REACTION_INVALID"))
			}
			emojis = append(emojis, Reaction{CustomEmoji: e.DocumentID}.key())
		default:
			return s.SendErr(req, tgerr.New(400, "REACTION_INVALID"))
		}
	}
	limit := 1
	if me.Premium {
		limit = 3
	}
	if len(emojis) > limit {
		return s.SendErr(req, tgerr.New(400, "REACTIONS_TOO_MANY"))
	}
	n.sent <- Sent{Kind: "reaction", From: me.ID, To: to, ToChat: chat, ToChannel: channel, ID: r.MsgID, Reactions: emojis}
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}

// DeliverReactions reports the reactions now on message msgID of the account's private chat
// with `with`, as Telegram does: counts per emoji, the reactors by name, and which one is the
// account's own. An empty list means every reaction was taken off.
func (n *Network) DeliverReactions(ctx context.Context, to *Account, with *tg.User, msgID int, reactions []Reaction) error {
	summary := tg.MessageReactions{CanSeeList: true}
	counts := map[string]int{}
	var order []string
	byKey := map[string]Reaction{}
	for i, r := range reactions {
		if counts[r.key()] == 0 {
			order = append(order, r.key())
			byKey[r.key()] = r
		}
		counts[r.key()]++
		recent := tg.MessagePeerReaction{PeerID: &tg.PeerUser{UserID: r.User.ID}, Reaction: r.reaction(),
			Date: int(time.Now().Unix()) - len(reactions) + i, My: r.User.ID == to.User.ID}
		recent.SetFlags()
		summary.RecentReactions = append(summary.RecentReactions, recent)
	}
	for _, key := range order {
		count := tg.ReactionCount{Reaction: byKey[key].reaction(), Count: counts[key]}
		for _, r := range reactions {
			if r.key() == key && r.User.ID == to.User.ID {
				count.SetChosenOrder(0)
			}
		}
		summary.Results = append(summary.Results, count)
	}
	summary.SetFlags()
	users := []tg.UserClass{with}
	for _, r := range reactions {
		users = append(users, r.User)
	}
	return n.push(ctx, to, users, &tg.UpdateMessageReactions{Peer: &tg.PeerUser{UserID: with.ID}, MsgID: msgID, Reactions: summary})
}
