package connector

import (
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

func TestReactionSync(t *testing.T) {
	tc := &Client{login: &bridgev2.UserLogin{UserLogin: &database.UserLogin{ID: "1"}}}
	emoji := func(e string) tg.ReactionClass { return &tg.ReactionEmoji{Emoticon: e} }
	recent := func(user int64, e string, my bool) tg.MessagePeerReaction {
		return tg.MessagePeerReaction{PeerID: &tg.PeerUser{UserID: user}, Reaction: emoji(e), My: my}
	}
	chosen := func(e string, count int) tg.ReactionCount {
		c := tg.ReactionCount{Reaction: emoji(e), Count: count}
		c.SetChosenOrder(0)
		return c
	}
	tests := []struct {
		name     string
		in       tg.MessageReactions
		want     map[networkid.UserID]string // user → emoji IDs joined
		allUsers bool
		complete map[networkid.UserID]bool // HasAllReactions per user
	}{
		{
			name:     "nothing left",
			in:       tg.MessageReactions{},
			want:     map[networkid.UserID]string{"1": ""},
			allUsers: true,
			complete: map[networkid.UserID]bool{"1": true},
		},
		{
			name: "everyone named, variation selector dropped",
			in: tg.MessageReactions{
				Results:         []tg.ReactionCount{{Reaction: emoji("❤️"), Count: 1}, chosen("👍", 2)},
				RecentReactions: []tg.MessagePeerReaction{recent(2, "❤️", false), recent(2, "👍", false), recent(1, "👍", true)},
			},
			want:     map[networkid.UserID]string{"1": "👍", "2": "❤👍"},
			allUsers: true,
			complete: map[networkid.UserID]bool{"1": true, "2": true},
		},
		{
			name: "big group: only own choice and some names known",
			in: tg.MessageReactions{
				Results:         []tg.ReactionCount{chosen("🔥", 40)},
				RecentReactions: []tg.MessagePeerReaction{recent(3, "🔥", false)},
			},
			want:     map[networkid.UserID]string{"1": "🔥", "3": "🔥"},
			allUsers: false,
			complete: map[networkid.UserID]bool{"1": true, "3": false},
		},
		{
			name: "min summary says nothing about our own",
			in: tg.MessageReactions{
				Min:     true,
				Results: []tg.ReactionCount{{Reaction: emoji("🔥"), Count: 5}},
			},
			want:     map[networkid.UserID]string{},
			allUsers: false,
		},
		{
			name: "custom emoji kept apart, channel reactors left out",
			in: tg.MessageReactions{
				Results: []tg.ReactionCount{{Reaction: &tg.ReactionCustomEmoji{DocumentID: 9}, Count: 1}, {Reaction: emoji("👍"), Count: 1}},
				RecentReactions: []tg.MessagePeerReaction{
					{PeerID: &tg.PeerUser{UserID: 4}, Reaction: &tg.ReactionCustomEmoji{DocumentID: 9}},
					{PeerID: &tg.PeerChannel{ChannelID: 5}, Reaction: emoji("👍")},
				},
			},
			want:     map[networkid.UserID]string{"1": "", "4": "custom:9"},
			allUsers: false,
			complete: map[networkid.UserID]bool{"1": true, "4": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tc.reactionSync(tt.in)
			if got.HasAllUsers != tt.allUsers {
				t.Errorf("HasAllUsers = %v, want %v", got.HasAllUsers, tt.allUsers)
			}
			if len(got.Users) != len(tt.want) {
				t.Errorf("users = %d, want %d", len(got.Users), len(tt.want))
			}
			for user, want := range tt.want {
				u := got.Users[user]
				if u == nil {
					t.Errorf("user %s missing", user)
					continue
				}
				have := ""
				for _, r := range u.Reactions {
					have += string(r.EmojiID)
					if r.Sender.Sender != user || r.Sender.IsFromMe != (user == "1") {
						t.Errorf("reaction of %s has sender %+v", user, r.Sender)
					}
				}
				if have != want {
					t.Errorf("user %s reactions %q, want %q", user, have, want)
				}
				if u.HasAllReactions != tt.complete[user] {
					t.Errorf("user %s HasAllReactions = %v, want %v", user, u.HasAllReactions, tt.complete[user])
				}
			}
		})
	}
}

func TestCustomEmojiReactionKeys(t *testing.T) {
	tc := &Client{customEmoji: map[int64]string{9: "❤"}}
	tests := []struct {
		name    string
		in      tg.ReactionClass
		id      networkid.EmojiID
		emoji   string
		visible bool
	}{
		{"plain emoji", &tg.ReactionEmoji{Emoticon: "👍"}, "👍", "👍", true},
		{"custom emoji with a known alt", &tg.ReactionCustomEmoji{DocumentID: 9}, "custom:9", "❤️", true},
		{"custom emoji not learned yet", &tg.ReactionCustomEmoji{DocumentID: 10}, "custom:10", unknownCustomEmoji, true},
		{"paid reaction", &tg.ReactionPaid{}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, emoji, ok := tc.reactionKey(tt.in)
			if id != tt.id || emoji != tt.emoji || ok != tt.visible {
				t.Errorf("reactionKey = %q, %q, %v; want %q, %q, %v", id, emoji, ok, tt.id, tt.emoji, tt.visible)
			}
			if !ok {
				return
			}
			back := telegramReaction(id)
			if back.String() != tt.in.String() {
				t.Errorf("telegramReaction(%q) = %v, want %v", id, back, tt.in)
			}
		})
	}
}
