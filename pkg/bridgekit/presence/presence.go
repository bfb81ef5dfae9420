package presence

import (
	"context"
	"fmt"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/matrix"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"
)

// ErrUnsupported is returned when the bridge's Matrix connector is not the appservice one.
var ErrUnsupported = fmt.Errorf("set presence: the Matrix connector has no appservice intents")

// Set sets the Matrix presence of the ghost of a remote user.
func Set(ctx context.Context, br *bridgev2.Bridge, user networkid.UserID, p event.Presence) error {
	intent, ok := br.Matrix.GhostIntent(user).(*matrix.ASIntent)
	if !ok {
		return ErrUnsupported
	}
	if err := intent.Matrix.EnsureRegistered(ctx); err != nil {
		return fmt.Errorf("register ghost %s: %w", user, err)
	}
	if err := intent.Matrix.SetPresence(ctx, mautrix.ReqPresence{Presence: p}); err != nil {
		return fmt.Errorf("set presence of %s: %w", user, err)
	}
	return nil
}
