package tgconv

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gotd/td/tg"
)

// ParseGeoURI reads an RFC 5870 geo URI ("geo:lat,long[,alt][;u=radius][;...]").
func ParseGeoURI(uri string) (*tg.InputGeoPoint, error) {
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
