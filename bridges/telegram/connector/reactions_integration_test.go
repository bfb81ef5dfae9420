//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mau.fi/util/variationselector"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// reactionOn matches a reaction by sender with emoji key on target.
func reactionOn(sender id.UserID, target id.EventID, key string) matrixtest.Match {
	return func(s matrixtest.Seen) bool {
		if s.Event.Type != event.EventReaction || s.Event.Sender != sender {
			return false
		}
		rel := s.Event.Content.AsReaction().RelatesTo
		return rel.EventID == target && variationselector.Remove(rel.Key) == variationselector.Remove(key)
	}
}

// redactionOf matches the redaction of an event.
func redactionOf(target id.EventID) matrixtest.Match {
	return func(s matrixtest.Seen) bool {
		return s.Event.Type == event.EventRedaction && (s.Event.Redacts == target || s.Event.Content.AsRedaction().Redacts == target)
	}
}

// TestReactionsBothWays: reactions on Telegram appear, change and disappear in the portal;
// the Matrix user's reactions reach Telegram, replace each other as Telegram allows one per
// message, come off when redacted, and an emoji Telegram refuses gets a notice.
func TestReactionsBothWays(t *testing.T) {
	s := login(t, "Xena")
	peer, portal, ghost, helloID, hello := chatWith(t, s, "Yuri")
	ctx := context.Background()

	// Telegram → Matrix: Yuri reacts to the user's message, changes the reaction, takes it off.
	mine := s.u.SendText(t, portal, "nice weather")
	myMsg := sentOf(t, "message")
	c := s.u.Cursor()
	react := func(reactions ...tgfake.Reaction) {
		t.Helper()
		if err := net.DeliverReactions(ctx, s.acct, peer, myMsg.ID, reactions); err != nil {
			t.Fatal(err)
		}
	}
	react(tgfake.Reaction{User: peer, Emoji: "👍"})
	thumbs := s.u.WaitFor(t, portal, c, "Yuri's 👍", reactionOn(ghost, mine, "👍"))
	react(tgfake.Reaction{User: peer, Emoji: "❤"})
	heart := s.u.WaitFor(t, portal, c, "Yuri's ❤️", reactionOn(ghost, mine, "❤️"))
	s.u.WaitFor(t, portal, c, "the 👍 taken back", redactionOf(thumbs.ID))
	react()
	s.u.WaitFor(t, portal, c, "the ❤️ taken back", redactionOf(heart.ID))

	// The user's own reaction from another Telegram app appears from their own ghost.
	own := bridge.GhostMXID(itoa(s.acct.User.ID))
	react(tgfake.Reaction{User: s.acct.User, Emoji: "🎉"}, tgfake.Reaction{User: peer, Emoji: "🎉"})
	s.u.WaitFor(t, portal, c, "the user's own 🎉", reactionOn(own, mine, "🎉"))
	s.u.WaitFor(t, portal, c, "Yuri's 🎉", reactionOn(ghost, mine, "🎉"))

	// Matrix → Telegram: a reaction, its replacement, its removal.
	first := s.u.React(t, portal, hello.ID, "❤️")
	if got := sentOf(t, "reaction"); got.ID != helloID || got.To != peer.ID || strings.Join(got.Reactions, ",") != "❤" {
		t.Errorf("reaction sent = %+v, want ❤ on %d to %d", got, helloID, peer.ID)
	}
	c = s.u.Cursor()
	second := s.u.React(t, portal, hello.ID, "👍")
	if got := sentOf(t, "reaction"); got.ID != helloID || strings.Join(got.Reactions, ",") != "👍" {
		t.Errorf("replacement sent = %+v, want only 👍 on %d", got, helloID)
	}
	s.u.WaitFor(t, portal, c, "the replaced ❤️ redacted", redactionOf(first))
	s.u.Redact(t, portal, second)
	if got := sentOf(t, "reaction"); got.ID != helloID || len(got.Reactions) != 0 {
		t.Errorf("removal sent = %+v, want no reactions on %d", got, helloID)
	}

	// An emoji Telegram does not take is refused with a notice, not dropped in silence.
	c = s.u.Cursor()
	s.u.React(t, portal, hello.ID, "🦄")
	s.u.WaitFor(t, portal, c, "a notice that Telegram refused the 🦄", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Type == event.EventMessage && m.MsgType == event.MsgNotice && strings.Contains(m.Body, "REACTION_INVALID")
	})
}

// TestPremiumKeepsThreeReactions: an account with Telegram Premium may keep three reactions on
// a message, so a second Matrix reaction is added beside the first, not instead of it.
func TestPremiumKeepsThreeReactions(t *testing.T) {
	s := loginWith(t, "Zara", func(a *tgfake.Account) { a.User.Premium = true })
	_, portal, _, helloID, hello := chatWith(t, s, "Abe")

	first := s.u.React(t, portal, hello.ID, "❤️")
	if got := sentOf(t, "reaction"); strings.Join(got.Reactions, ",") != "❤" {
		t.Errorf("first reaction sent = %+v, want ❤", got)
	}
	c := s.u.Cursor()
	s.u.React(t, portal, hello.ID, "👍")
	if got := sentOf(t, "reaction"); got.ID != helloID || strings.Join(got.Reactions, ",") != "❤,👍" {
		t.Errorf("second reaction sent = %+v, want ❤ and 👍 on %d", got, helloID)
	}
	s.u.Never(t, portal, c, 2*time.Second, "the first reaction redacted", redactionOf(first))
}

// TestCustomEmojiReactions: a custom-emoji reaction shows in Matrix as the emoji it stands
// for; the account's own custom-emoji reaction (made in another app) is kept on Telegram when
// the user adds a reaction from Matrix.
func TestCustomEmojiReactions(t *testing.T) {
	s := loginWith(t, "Cleo", func(a *tgfake.Account) { a.User.Premium = true })
	peer, portal, ghost, helloID, hello := chatWith(t, s, "Dex")
	sparkle := net.AddCustomEmoji("🔥")
	ctx := context.Background()

	c := s.u.Cursor()
	err := net.DeliverReactions(ctx, s.acct, peer, helloID, []tgfake.Reaction{
		{User: peer, CustomEmoji: sparkle}, {User: s.acct.User, CustomEmoji: sparkle},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "Dex's custom-emoji reaction as its emoji", reactionOn(ghost, hello.ID, "🔥"))
	own := bridge.GhostMXID(itoa(s.acct.User.ID))
	s.u.WaitFor(t, portal, c, "the account's own custom-emoji reaction", reactionOn(own, hello.ID, "🔥"))

	s.u.React(t, portal, hello.ID, "👍")
	got := sentOf(t, "reaction")
	if want := "custom:" + itoa(sparkle) + ",👍"; got.ID != helloID || strings.Join(got.Reactions, ",") != want {
		t.Errorf("reactions sent = %+v, want %s on %d (the custom emoji kept)", got, want, helloID)
	}
}
