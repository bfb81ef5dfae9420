package connector

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

// GetUserInfo names a ghost: the name in the phone's address book, else the name the person
// chose (push name), else their business name, else their phone number.
func (wc *Client) GetUserInfo(ctx context.Context, ghost *bridgev2.Ghost) (*bridgev2.UserInfo, error) {
	jid, err := ids.ParseUserID(ghost.ID)
	if err != nil {
		return nil, err
	}
	var contact types.ContactInfo
	if wc.device != nil {
		if contact, err = wc.device.Contacts.GetContact(ctx, jid); err != nil {
			return nil, fmt.Errorf("get contact %s: %w", jid, err)
		}
	}
	name := displayName(contact, jid)
	info := &bridgev2.UserInfo{Name: &name, Avatar: wc.avatar(ctx, jid)}
	if jid.Server == types.DefaultUserServer {
		info.Identifiers = []string{"tel:+" + jid.User}
	}
	return info, nil
}

func displayName(c types.ContactInfo, jid types.JID) string {
	for _, n := range []string{c.FullName, c.FirstName, c.PushName, c.BusinessName} {
		if n != "" {
			return n
		}
	}
	if jid.Server == types.DefaultUserServer {
		return "+" + jid.User
	}
	return jid.User
}

// storePushName stores the name a sender chose for themselves in the contact store.
func (wc *Client) storePushName(ctx context.Context, info types.MessageInfo) {
	if info.IsFromMe || info.PushName == "" || wc.device == nil {
		return
	}
	if _, _, err := wc.device.Contacts.PutPushName(ctx, info.Sender.ToNonAD(), info.PushName); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to store push name")
	}
}

// rememberPushName renames an existing ghost whose name changed; it runs in the portal's event
// loop, after storePushName.
func (wc *Client) rememberPushName(ctx context.Context, info types.MessageInfo) {
	if info.IsFromMe || info.PushName == "" || wc.device == nil {
		return
	}
	ghost, err := wc.conn.Bridge.GetGhostByID(ctx, ids.UserID(info.Sender.ToNonAD()))
	if err != nil {
		return
	}
	if info, err := wc.GetUserInfo(ctx, ghost); err == nil && info.Name != nil && *info.Name != ghost.Name {
		ghost.UpdateInfo(ctx, info)
	}
}

// handleContact renames a ghost after the phone's address book changed (synced app state).
func (wc *Client) handleContact(ctx context.Context, evt *events.Contact) {
	if wc.device != nil && evt.Action != nil {
		if err := wc.device.Contacts.PutContactName(ctx, evt.JID.ToNonAD(), evt.Action.GetFirstName(), evt.Action.GetFullName()); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to store contact name")
		}
	}
	wc.refreshGhost(ctx, evt.JID)
}

// refreshGhost updates an existing ghost's name and avatar from what WhatsApp knows now.
func (wc *Client) refreshGhost(ctx context.Context, jid types.JID) {
	ghost, err := wc.conn.Bridge.GetGhostByID(ctx, ids.UserID(jid))
	if err != nil {
		zerolog.Ctx(ctx).Err(err).Stringer("user_id", jid).Msg("Failed to get ghost to refresh")
		return
	}
	if info, err := wc.GetUserInfo(ctx, ghost); err == nil {
		ghost.UpdateInfo(ctx, info)
	}
}
