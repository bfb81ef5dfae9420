package connector

import (
	"context"
	"fmt"
	"strings"
	"time"

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

// resolvedChannel answers `resolve-identifier` / `start-chat` for a public supergroup or
// channel: it is named by the ghost that posts in its name, and `start-chat` joins it (if the
// account is not in it yet) and opens its room for the user.
func (tc *Client) resolvedChannel(ctx context.Context, api *tg.Client, channelID int64, createChat bool) (*bridgev2.ResolveIdentifierResponse, error) {
	ghostID := ids.ChannelUserID(channelID)
	ghost, err := tc.conn.Bridge.GetGhostByID(ctx, ghostID)
	if err != nil {
		return nil, fmt.Errorf("get ghost of channel %d: %w", channelID, err)
	}
	resp := &bridgev2.ResolveIdentifierResponse{Ghost: ghost, UserID: ghostID}
	if ch, ok := tc.channel(channelID); ok {
		title := ch.Title
		resp.UserInfo = &bridgev2.UserInfo{Name: &title}
		if createChat && ch.Left {
			res, err := api.ChannelsJoinChannel(ctx, tc.inputChannel(channelID))
			if err != nil {
				return nil, refused(fmt.Errorf("could not join %s: %w", ch.Title, err))
			}
			if joined, ok := res.(*tg.MessagesChatInviteJoinResultOk); ok {
				if upd, ok := joined.Updates.(*tg.Updates); ok {
					tc.rememberChats(upd.Chats)
				}
			}
		}
	}
	if !createChat {
		return resp, nil
	}
	info, err := tc.channelInfo(ctx, channelID)
	if err != nil {
		return nil, err
	}
	key := ids.ChannelPortal(channelID)
	resp.Chat = &bridgev2.CreateChatResponse{PortalKey: key, PortalInfo: info}
	// The room may exist already (another Matrix user's login is in the channel): bring this
	// user in, as their login's first message there would.
	if portal, err := tc.conn.Bridge.GetExistingPortalByKey(ctx, key); err == nil && portal != nil && portal.MXID != "" {
		portal.UpdateInfo(ctx, info, tc.login, nil, time.Time{})
	}
	return resp, nil
}
