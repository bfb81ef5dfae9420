package connector

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/types"
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
