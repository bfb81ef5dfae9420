package connector

import (
	"context"
	"fmt"
	"strings"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

var (
	_ bridgev2.IdentifierResolvingNetworkAPI = (*Client)(nil)
	_ bridgev2.ContactListingNetworkAPI      = (*Client)(nil)
)

// errUnknownIdentifier is what `start-chat` says for a username or number nobody has.

// ResolveIdentifier finds a Telegram user by @username, t.me link or phone number and, with
// createChat, the private chat with them. A public supergroup's or channel's @name finds it,
// and with createChat joins it.
func (tc *Client) ResolveIdentifier(ctx context.Context, identifier string, createChat bool) (*bridgev2.ResolveIdentifierResponse, error) {
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	identifier = strings.TrimSpace(identifier)
	var resolved *tg.ContactsResolvedPeer
	var err error
	if phone := phoneDigits(identifier); phone != "" {
		resolved, err = api.ContactsResolvePhone(ctx, phone)
	} else {
		username := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(identifier, "https://t.me/"), "t.me/"), "@")
		resolved, err = api.ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: username})
	}
	if tgerr.Is(err, "USERNAME_NOT_OCCUPIED", "USERNAME_INVALID", "PHONE_NOT_OCCUPIED", "PHONE_NUMBER_INVALID") {
		return nil, errUnknownIdentifier
	} else if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", identifier, err)
	}
	tc.rememberChats(resolved.Chats)
	if ch, ok := resolved.Peer.(*tg.PeerChannel); ok {
		return tc.resolvedChannel(ctx, api, ch.ChannelID, createChat)
	}
	peer, ok := resolved.Peer.(*tg.PeerUser)
	if !ok {
		return nil, errNotAChat
	}
	var user *tg.User
	for _, u := range resolved.Users {
		if tu, ok := u.(*tg.User); ok {
			tc.remember(tu)
			if tu.ID == peer.UserID {
				user = tu
			}
		}
	}
	return tc.resolved(ctx, user, peer.UserID, createChat)
}

// phoneDigits returns the digits of a phone number ("+1 555 …"), or "" for anything else.
func phoneDigits(s string) string {
	if !strings.HasPrefix(s, "+") && strings.TrimLeft(s, "0123456789 -()") != "" {
		return ""
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(digits) < 7 {
		return ""
	}
	return digits
}

func (tc *Client) resolved(ctx context.Context, user *tg.User, userID int64, createChat bool) (*bridgev2.ResolveIdentifierResponse, error) {
	ghost, err := tc.conn.Bridge.GetGhostByID(ctx, ids.UserID(userID))
	if err != nil {
		return nil, fmt.Errorf("get ghost of %d: %w", userID, err)
	}
	resp := &bridgev2.ResolveIdentifierResponse{Ghost: ghost, UserID: ids.UserID(userID)}
	if user != nil {
		resp.UserInfo = userInfo(user)
	}
	if createChat {
		resp.Chat = &bridgev2.CreateChatResponse{PortalKey: ids.UserPortal(userID, tc.login.ID)}
	}
	return resp, nil
}

// GetContactList lists the account's Telegram contacts.
func (tc *Client) GetContactList(ctx context.Context) ([]*bridgev2.ResolveIdentifierResponse, error) {
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	res, err := api.ContactsGetContacts(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("get contacts: %w", err)
	}
	contacts, ok := res.(*tg.ContactsContacts)
	if !ok {
		return nil, nil
	}
	out := make([]*bridgev2.ResolveIdentifierResponse, 0, len(contacts.Users))
	for _, u := range contacts.Users {
		user, ok := u.(*tg.User)
		if !ok {
			continue
		}
		tc.remember(user)
		resp, err := tc.resolved(ctx, user, user.ID, false)
		if err != nil {
			return nil, err
		}
		out = append(out, resp)
	}
	return out, nil
}
