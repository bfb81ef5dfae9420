package markup

import (
	"unicode/utf8"

	"maunium.net/go/mautrix/id"
)

// UserResolver maps users between Telegram and Matrix for mention pills.
//
// Every method returns ok=false when the user is unknown; the converter then
// leaves the mention as plain text. A nil UserResolver is allowed and resolves
// nothing. The display names are only used by FromHTML, for pills that have no
// link text: ToHTML keeps the Telegram text as the pill text so that the plain
// body and the HTML agree.
type UserResolver interface {
	// MatrixUser resolves a Telegram user ID (from a MessageEntityMentionName
	// entity) to a Matrix user ID and display name.
	MatrixUser(userID int64) (mxid id.UserID, name string, ok bool)
	// MatrixUserByUsername resolves a Telegram username, without the leading
	// "@", (from a MessageEntityMention entity) to a Matrix user ID and
	// display name.
	MatrixUserByUsername(username string) (mxid id.UserID, name string, ok bool)
	// TelegramUser resolves a Matrix user ID (from a mention pill) to a
	// Telegram user ID. Only the ID is returned; FromHTML emits
	// *tg.MessageEntityMentionName and the caller converts it into
	// *tg.InputMessageEntityMentionName with the user's access hash.
	TelegramUser(mxid id.UserID) (userID int64, ok bool)
}

// kind is a formatting kind shared by both conversion directions. The order of
// the constants is also the nesting order used when several elements start at
// the same position and end at the same position: earlier kinds are outer.
type kind uint8

const (
	kindBlockquote kind = iota
	kindPre
	kindLink
	kindBold
	kindItalic
	kindUnderline
	kindStrike
	kindSpoiler
	kindCode
	numKinds
)

// level returns the nesting level of a kind. Elements with a lower level
// always enclose elements with a higher level, so block elements are never
// placed inside inline ones.
func (k kind) level() int {
	switch k {
	case kindBlockquote:
		return 0
	case kindPre:
		return 1
	default:
		return 2
	}
}

// utf16Len returns the length of s in UTF-16 code units, counting every
// invalid UTF-8 byte as one unit (it is rendered as U+FFFD).
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n += runeUTF16Len(r)
	}
	return n
}

// runeUTF16Len returns the number of UTF-16 code units needed to encode r.
func runeUTF16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
