package connector

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
)

// handleMatrixLocation sends a Matrix location to Telegram as a map point. An event whose
// geo URI cannot be read is refused with a notice rather than sent as text.
func (tc *Client) handleMatrixLocation(ctx context.Context, msg *bridgev2.MatrixMessage) (*bridgev2.MatrixMessageResponse, error) {
	point, err := parseGeoURI(msg.Content.GeoURI)
	if err != nil {
		return nil, mediaFailed("The location could not be sent to Telegram: %w", err)
	}
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return nil, err
	}
	return tc.sendMedia(ctx, api, peer, msg, &tg.InputMediaGeoPoint{GeoPoint: point})
}

// parseGeoURI reads an RFC 5870 geo URI ("geo:lat,long[,alt][;u=radius][;...]").
func parseGeoURI(uri string) (*tg.InputGeoPoint, error) {
	rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(uri)), "geo:")
	if !ok {
		return nil, fmt.Errorf("parse geo URI %q: not a geo: URI", uri)
	}
	params := strings.Split(rest, ";")
	coords := strings.Split(params[0], ",")
	if len(coords) < 2 || len(coords) > 3 {
		return nil, fmt.Errorf("parse geo URI %q: want latitude,longitude", uri)
	}
	lat, err := strconv.ParseFloat(coords[0], 64)
	if err != nil || math.IsNaN(lat) || lat < -90 || lat > 90 {
		return nil, fmt.Errorf("parse geo URI %q: latitude out of range", uri)
	}
	long, err := strconv.ParseFloat(coords[1], 64)
	if err != nil || math.IsNaN(long) || long < -180 || long > 180 {
		return nil, fmt.Errorf("parse geo URI %q: longitude out of range", uri)
	}
	point := &tg.InputGeoPoint{Lat: lat, Long: long}
	for _, p := range params[1:] {
		if v, ok := strings.CutPrefix(p, "u="); ok {
			if radius, err := strconv.ParseFloat(v, 64); err == nil && radius >= 1 && radius <= 1e6 {
				point.SetAccuracyRadius(int(radius))
			}
		}
	}
	return point, nil
}
