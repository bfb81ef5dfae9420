package ids

import (
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

const lidPrefix = "lid-"

// chatServers are the JID servers a chat can live on.
var chatServers = map[string]bool{
	types.DefaultUserServer: true,
	types.HiddenUserServer:  true,
	types.GroupServer:       true,
	types.BroadcastServer:   true,
	types.NewsletterServer:  true,
}

// PortalKey is the portal of a chat as seen by a login.
func PortalKey(chat types.JID, login networkid.UserLoginID) networkid.PortalKey {
	key := networkid.PortalKey{ID: networkid.PortalID(chat.ToNonAD().String())}
	if chat.Server != types.GroupServer {
		key.Receiver = login
	}
	return key
}

// ParsePortalID returns the chat JID of a portal.
func ParsePortalID(id networkid.PortalID) (types.JID, error) {
	jid, err := types.ParseJID(string(id))
	if err != nil || jid.User == "" || !chatServers[jid.Server] {
		return types.JID{}, fmt.Errorf("parse portal ID %q: not a chat JID", id)
	}
	return jid, nil
}

// UserID is the ghost ID of a WhatsApp user.
func UserID(jid types.JID) networkid.UserID {
	if jid.Server == types.HiddenUserServer {
		return networkid.UserID(lidPrefix + jid.User)
	}
	return networkid.UserID(jid.User)
}

// ParseUserID returns the user JID of a ghost ID.
func ParseUserID(id networkid.UserID) (types.JID, error) {
	s := string(id)
	server := types.DefaultUserServer
	if rest, ok := strings.CutPrefix(s, lidPrefix); ok {
		s, server = rest, types.HiddenUserServer
	}
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return types.JID{}, fmt.Errorf("parse user ID %q: not a WhatsApp user", id)
	}
	return types.NewJID(s, server), nil
}

// LoginID is the login ID of the account paired as jid.
func LoginID(jid types.JID) networkid.UserLoginID {
	return networkid.UserLoginID(jid.User)
}

// LoginJID is the account JID of a login.
func LoginJID(id networkid.UserLoginID) types.JID {
	return types.NewJID(string(id), types.DefaultUserServer)
}

// MessageID identifies a WhatsApp message across chats.
func MessageID(chat, sender types.JID, id types.MessageID) networkid.MessageID {
	return networkid.MessageID(chat.ToNonAD().String() + ":" + sender.ToNonAD().String() + ":" + string(id))
}

// ParsedMessageID is a message ID split into its parts.
type ParsedMessageID struct {
	Chat, Sender types.JID
	ID           types.MessageID
}

// ParseMessageID splits a message ID made by MessageID.
func ParseMessageID(id networkid.MessageID) (ParsedMessageID, error) {
	parts := strings.SplitN(string(id), ":", 3)
	if len(parts) != 3 || parts[2] == "" {
		return ParsedMessageID{}, fmt.Errorf("parse message ID %q: want chat:sender:id", id)
	}
	chat, err := types.ParseJID(parts[0])
	if err != nil || chat.User == "" {
		return ParsedMessageID{}, fmt.Errorf("parse message ID %q: bad chat", id)
	}
	sender, err := types.ParseJID(parts[1])
	if err != nil || sender.User == "" {
		return ParsedMessageID{}, fmt.Errorf("parse message ID %q: bad sender", id)
	}
	return ParsedMessageID{Chat: chat, Sender: sender, ID: types.MessageID(parts[2])}, nil
}
