package connector

import (
	"context"
	"strconv"
	"strings"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"go.mau.fi/util/variationselector"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

// Custom-emoji reactions are Telegram stickers that stand for an emoji. Matrix shows them as
// that emoji (their "alt", which Telegram gives with the sticker's document); the bridge keeps
// them apart from the plain emoji under the ID "custom:<document ID>", so that reactions the
// account made with custom emoji in other apps survive when the user reacts from Matrix.

const customEmojiPrefix = "custom:"

// unknownCustomEmoji is shown when Telegram does not say what a custom emoji stands for.
const unknownCustomEmoji = "⭐"

func customEmojiID(documentID int64) networkid.EmojiID {
	return networkid.EmojiID(customEmojiPrefix + strconv.FormatInt(documentID, 10))
}

// telegramReaction is the Telegram reaction of a stored reaction ID.
func telegramReaction(id networkid.EmojiID) tg.ReactionClass {
	if rest, ok := strings.CutPrefix(string(id), customEmojiPrefix); ok {
		if doc, err := strconv.ParseInt(rest, 10, 64); err == nil {
			return &tg.ReactionCustomEmoji{DocumentID: doc}
		}
	}
	return &tg.ReactionEmoji{Emoticon: string(id)}
}

// reactionKey is the stored ID and the Matrix emoji of a Telegram reaction; ok is false for
// reactions Matrix cannot show (paid ones).
func (tc *Client) reactionKey(r tg.ReactionClass) (id networkid.EmojiID, emoji string, ok bool) {
	switch r := r.(type) {
	case *tg.ReactionEmoji:
		return emojiID(r.Emoticon), variationselector.FullyQualify(r.Emoticon), true
	case *tg.ReactionCustomEmoji:
		return customEmojiID(r.DocumentID), tc.customEmojiAlt(r.DocumentID), true
	}
	return "", "", false
}

// customEmojiAlt is the emoji a custom emoji stands for, as last learned.
func (tc *Client) customEmojiAlt(documentID int64) string {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if alt := tc.customEmoji[documentID]; alt != "" {
		return variationselector.FullyQualify(alt)
	}
	return unknownCustomEmoji
}

// learnCustomEmoji asks Telegram what the custom emoji in a reaction summary stand for, for
// those the bridge does not know yet (messages.getCustomEmojiDocuments).
func (tc *Client) learnCustomEmoji(ctx context.Context, r tg.MessageReactions) {
	var unknown []int64
	seen := map[int64]bool{}
	note := func(reaction tg.ReactionClass) {
		c, ok := reaction.(*tg.ReactionCustomEmoji)
		if !ok || seen[c.DocumentID] {
			return
		}
		seen[c.DocumentID] = true
		tc.mu.Lock()
		_, known := tc.customEmoji[c.DocumentID]
		tc.mu.Unlock()
		if !known {
			unknown = append(unknown, c.DocumentID)
		}
	}
	for _, count := range r.Results {
		note(count.Reaction)
	}
	for _, recent := range r.RecentReactions {
		note(recent.Reaction)
	}
	api := tc.client()
	if len(unknown) == 0 || api == nil {
		return
	}
	docs, err := api.MessagesGetCustomEmojiDocuments(ctx, unknown)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to learn what custom emoji stand for")
		return
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	for _, d := range docs {
		doc, ok := d.(*tg.Document)
		if !ok {
			continue
		}
		for _, a := range doc.Attributes {
			if ce, ok := a.(*tg.DocumentAttributeCustomEmoji); ok {
				tc.customEmoji[doc.ID] = ce.Alt
			}
		}
	}
}
