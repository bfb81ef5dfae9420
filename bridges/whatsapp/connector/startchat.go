package connector

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

var (
	_ bridgev2.IdentifierResolvingNetworkAPI = (*Client)(nil)
	_ bridgev2.ContactListingNetworkAPI      = (*Client)(nil)
)

// ResolveIdentifier finds the WhatsApp user behind a phone number (any common notation) and,
// with createChat, the one-to-one portal with them.
func (wc *Client) ResolveIdentifier(ctx context.Context, identifier string, createChat bool) (*bridgev2.ResolveIdentifierResponse, error) {
	phone := normalizePhone(identifier)
	if len(phone) < 7 || len(phone) > 15 {
		return nil, ErrBadPhone
	}
	if wc.wa == nil {
		return nil, errNotConnected
	}
	found, err := wc.wa.IsOnWhatsApp(ctx, []string{"+" + phone})
	if err != nil {
		return nil, fmt.Errorf("check %s on WhatsApp: %w", phone, err)
	}
	if len(found) == 0 || !found[0].IsIn {
		return nil, errNotOnWhatsApp
	}
	return wc.resolved(ctx, found[0].JID, createChat)
}

func (wc *Client) resolved(ctx context.Context, jid types.JID, createChat bool) (*bridgev2.ResolveIdentifierResponse, error) {
	userID := ids.UserID(jid)
	ghost, err := wc.conn.Bridge.GetGhostByID(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("get ghost of %s: %w", jid, err)
	}
	info, err := wc.GetUserInfo(ctx, ghost)
	if err != nil {
		return nil, err
	}
	resp := &bridgev2.ResolveIdentifierResponse{Ghost: ghost, UserID: userID, UserInfo: info}
	if createChat {
		resp.Chat = &bridgev2.CreateChatResponse{PortalKey: ids.PortalKey(jid, wc.login.ID)}
	}
	return resp, nil
}

// GetContactList lists the address-book contacts WhatsApp synced from the phone.
func (wc *Client) GetContactList(ctx context.Context) ([]*bridgev2.ResolveIdentifierResponse, error) {
	if wc.device == nil {
		return nil, errNotConnected
	}
	contacts, err := wc.device.Contacts.GetAllContacts(ctx)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	out := make([]*bridgev2.ResolveIdentifierResponse, 0, len(contacts))
	for jid, contact := range contacts {
		if jid.Server != types.DefaultUserServer || contact.FullName == "" && contact.FirstName == "" {
			continue // only people the user saved on their phone
		}
		resp, err := wc.resolved(ctx, jid, false)
		if err != nil {
			return nil, err
		}
		out = append(out, resp)
	}
	return out, nil
}
