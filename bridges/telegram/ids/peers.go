package ids

import (
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

// PortalKey is the portal of a peer as seen by login: a private chat, basic group, supergroup
// or channel. ok is false for peers that have no portal (nil or unknown kinds).
func PortalKey(peer tg.PeerClass, login networkid.UserLoginID) (key networkid.PortalKey, ok bool) {
	switch p := peer.(type) {
	case *tg.PeerUser:
		return UserPortal(p.UserID, login), true
	case *tg.PeerChat:
		return ChatPortal(p.ChatID, login), true
	case *tg.PeerChannel:
		return ChannelPortal(p.ChannelID), true
	}
	return networkid.PortalKey{}, false
}

// ChannelOf is the channel a peer names, or 0 for private chats and basic groups.
func ChannelOf(peer tg.PeerClass) int64 {
	if p, ok := peer.(*tg.PeerChannel); ok {
		return p.ChannelID
	}
	return 0
}

// MessageIDOf is the bridge's ID of message msgID in the chat peer.
func MessageIDOf(peer tg.PeerClass, msgID int) networkid.MessageID {
	return MessageIDIn(ChannelOf(peer), msgID)
}
