package connector

import (
	"context"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// handleMatrixLocation sends a Matrix location to Telegram as a map point. An event whose
// geo URI cannot be read is refused with a notice rather than sent as text.
func (tc *Client) handleMatrixLocation(ctx context.Context, msg *bridgev2.MatrixMessage) (*bridgev2.MatrixMessageResponse, error) {
	point, err := tgconv.ParseGeoURI(msg.Content.GeoURI)
	if err != nil {
		return nil, mediaFailed("The location could not be sent to Telegram: %w", err)
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return nil, err
	}
	return tc.sendMedia(ctx, api, peer, msg, &tg.InputMediaGeoPoint{GeoPoint: point})
}
