package connector

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// users maps people for the message converters of this login.
func (wc *Client) users() waconv.Users { return userMap{wc} }

type userMap struct{ wc *Client }

func (u userMap) MatrixUser(ctx context.Context, jid types.JID) (id.UserID, string, error) {
	if jid.ToNonAD() == u.wc.ownJID() {
		return u.wc.login.UserMXID, "", nil
	}
	ghost, err := u.wc.conn.Bridge.GetGhostByID(ctx, ids.UserID(jid))
	if err != nil {
		return "", "", fmt.Errorf("get ghost of %s: %w", jid, err)
	}
	if ghost.Name == "" {
		if info, err := u.wc.GetUserInfo(ctx, ghost); err == nil {
			ghost.UpdateInfo(ctx, info)
		}
	}
	return ghost.Intent.GetMXID(), ghost.Name, nil
}

func (u userMap) WhatsAppUser(ctx context.Context, mxid id.UserID) (types.JID, bool) {
	if userID, ok := u.wc.conn.Bridge.Matrix.ParseGhostMXID(mxid); ok {
		jid, err := ids.ParseUserID(userID)
		return jid, err == nil
	}
	if mxid == u.wc.login.UserMXID {
		return u.wc.ownJID(), true
	}
	user, err := u.wc.conn.Bridge.GetExistingUserByMXID(ctx, mxid)
	if err != nil || user == nil {
		return types.JID{}, false
	}
	if login := user.GetDefaultLogin(); login != nil {
		return ids.LoginJID(login.ID), true
	}
	return types.JID{}, false
}

// storePushName stores the name a sender chose for themselves in the contact store.
func (wc *Client) storePushName(ctx context.Context, info types.MessageInfo) {
	if info.IsFromMe || info.PushName == "" || wc.device == nil {
		return
	}
	if _, _, err := wc.device.Contacts.PutPushName(ctx, info.Sender.ToNonAD(), info.PushName); err != nil {
		wc.login.Log.Warn().Err(err).Msg("Failed to store push name")
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
			wc.login.Log.Warn().Err(err).Msg("Failed to store contact name")
		}
	}
	wc.refreshGhost(ctx, evt.JID)
}

// refreshGhost updates an existing ghost's name and avatar from what WhatsApp knows now.
func (wc *Client) refreshGhost(ctx context.Context, jid types.JID) {
	ghost, err := wc.conn.Bridge.GetGhostByID(ctx, ids.UserID(jid))
	if err != nil {
		wc.login.Log.Err(err).Stringer("jid", jid).Msg("Failed to get ghost to refresh")
		return
	}
	if info, err := wc.GetUserInfo(ctx, ghost); err == nil {
		ghost.UpdateInfo(ctx, info)
	}
}
