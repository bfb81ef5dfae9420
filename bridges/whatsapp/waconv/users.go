package waconv

import (
	"context"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/id"
)

// Users maps people between the networks for mentions.
type Users interface {
	// MatrixUser returns the Matrix ID and display name of a WhatsApp user: a ghost, or the
	// Matrix user whose login that JID is.
	MatrixUser(ctx context.Context, jid types.JID) (id.UserID, string, error)
	// WhatsAppUser returns the JID behind a Matrix user (a ghost, or a logged-in user), or
	// ok=false for a Matrix user who is not on WhatsApp.
	WhatsAppUser(ctx context.Context, mxid id.UserID) (types.JID, bool)
}
