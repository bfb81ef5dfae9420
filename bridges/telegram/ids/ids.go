// Package ids maps Telegram peers and messages to bridgev2's network IDs and back.
//
//   - A private chat's portal is "user:<user id>", owned by the login that sees it.
//   - A ghost is a Telegram user ID ("<id>"); a login is its own user ID.
//   - A message is "<chat id>.<message id>": Telegram numbers private-chat messages per account
//     and channel messages per channel, so the chat is part of the ID.
package ids

import (
	"fmt"
	"strconv"
	"strings"

	"maunium.net/go/mautrix/bridgev2/networkid"
)

// UserPortal is the portal key of the private chat with userID, as seen by login.
func UserPortal(userID int64, login networkid.UserLoginID) networkid.PortalKey {
	return networkid.PortalKey{ID: networkid.PortalID("user:" + strconv.FormatInt(userID, 10)), Receiver: login}
}

// ParseUserPortal returns the user of a private-chat portal.
func ParseUserPortal(id networkid.PortalID) (int64, error) {
	rest, ok := strings.CutPrefix(string(id), "user:")
	if !ok {
		return 0, fmt.Errorf("parse portal ID %q: not a private chat", id)
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("parse portal ID %q: bad user ID", id)
	}
	return n, nil
}

// UserID is the ghost ID of a Telegram user.
func UserID(id int64) networkid.UserID { return networkid.UserID(strconv.FormatInt(id, 10)) }

// ParseUserID returns the Telegram user ID of a ghost.
func ParseUserID(id networkid.UserID) (int64, error) {
	n, err := strconv.ParseInt(string(id), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("parse user ID %q: not a Telegram user", id)
	}
	return n, nil
}

// LoginID is the login ID of the account with this user ID.
func LoginID(id int64) networkid.UserLoginID { return networkid.UserLoginID(strconv.FormatInt(id, 10)) }

// MessageID identifies a message in a chat.
func MessageID(chatID int64, msgID int) networkid.MessageID {
	return networkid.MessageID(strconv.FormatInt(chatID, 10) + "." + strconv.Itoa(msgID))
}

// ParseMessageID splits a message ID made by MessageID.
func ParseMessageID(id networkid.MessageID) (chatID int64, msgID int, err error) {
	chat, msg, ok := strings.Cut(string(id), ".")
	if !ok {
		return 0, 0, fmt.Errorf("parse message ID %q: want chat.message", id)
	}
	if chatID, err = strconv.ParseInt(chat, 10, 64); err != nil {
		return 0, 0, fmt.Errorf("parse message ID %q: bad chat: %w", id, err)
	}
	if msgID, err = strconv.Atoi(msg); err != nil || msgID <= 0 {
		return 0, 0, fmt.Errorf("parse message ID %q: bad message number", id)
	}
	return chatID, msgID, nil
}
