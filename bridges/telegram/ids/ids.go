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

// ChatPortal is the portal key of a basic group as seen by login. Basic-group messages are
// numbered per account, like private chats, so each login has its own portal of the group.
func ChatPortal(chatID int64, login networkid.UserLoginID) networkid.PortalKey {
	return networkid.PortalKey{ID: networkid.PortalID("chat:" + strconv.FormatInt(chatID, 10)), Receiver: login}
}

// ChannelPortal is the portal key of a supergroup or channel, shared by every login in it.
func ChannelPortal(channelID int64) networkid.PortalKey {
	return networkid.PortalKey{ID: networkid.PortalID("channel:" + strconv.FormatInt(channelID, 10))}
}

// Portal kinds returned by ParsePortal.
const (
	KindUser    = "user"
	KindChat    = "chat"
	KindChannel = "channel"
)

// ParsePortal returns the kind (KindUser, KindChat or KindChannel) and the ID of a portal.
func ParsePortal(id networkid.PortalID) (kind string, peerID int64, err error) {
	kind, rest, ok := strings.Cut(string(id), ":")
	if !ok || (kind != KindUser && kind != KindChat && kind != KindChannel) {
		return "", 0, fmt.Errorf("parse portal ID %q: not a user, chat or channel portal", id)
	}
	if peerID, err = strconv.ParseInt(rest, 10, 64); err != nil || peerID <= 0 {
		return "", 0, fmt.Errorf("parse portal ID %q: bad ID", id)
	}
	return kind, peerID, nil
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

// ChannelUserID is the ghost of a channel that posts in its own name.
func ChannelUserID(channelID int64) networkid.UserID {
	return networkid.UserID("channel-" + strconv.FormatInt(channelID, 10))
}

// ParseChannelUserID returns the channel of a channel ghost.
func ParseChannelUserID(id networkid.UserID) (int64, error) {
	rest, ok := strings.CutPrefix(string(id), "channel-")
	if !ok {
		return 0, fmt.Errorf("parse user ID %q: not a channel", id)
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("parse user ID %q: bad channel ID", id)
	}
	return n, nil
}

// LoginID is the login ID of the account with this user ID.
func LoginID(id int64) networkid.UserLoginID { return networkid.UserLoginID(strconv.FormatInt(id, 10)) }

// MessageID identifies a message of a private chat or basic group: Telegram numbers those per
// account, so the number alone is unique for a login (and deletes arrive without their chat).
func MessageID(msgID int) networkid.MessageID {
	return networkid.MessageID(strconv.Itoa(msgID))
}

// ChannelMessageID identifies a message of a channel or supergroup, numbered per channel.
func ChannelMessageID(channelID int64, msgID int) networkid.MessageID {
	return networkid.MessageID(strconv.FormatInt(channelID, 10) + "." + strconv.Itoa(msgID))
}

// MessageIDIn identifies message msgID of a chat: per channel for channels and supergroups,
// per account otherwise.
func MessageIDIn(channelID int64, msgID int) networkid.MessageID {
	if channelID != 0 {
		return ChannelMessageID(channelID, msgID)
	}
	return MessageID(msgID)
}

// ParseMessageID splits a message ID; channelID is 0 for account-numbered messages.
func ParseMessageID(id networkid.MessageID) (channelID int64, msgID int, err error) {
	chat, msg, ok := strings.Cut(string(id), ".")
	if !ok {
		chat, msg = "0", chat
	}
	if channelID, err = strconv.ParseInt(chat, 10, 64); err != nil || channelID < 0 {
		return 0, 0, fmt.Errorf("parse message ID %q: bad channel", id)
	}
	if msgID, err = strconv.Atoi(msg); err != nil || msgID <= 0 {
		return 0, 0, fmt.Errorf("parse message ID %q: bad message number", id)
	}
	return channelID, msgID, nil
}
