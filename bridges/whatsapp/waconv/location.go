package waconv

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/bridgekit/status"
)

// ErrInvalidGeoURI is what ParseGeoURI's errors wrap.
var ErrInvalidGeoURI = errors.New("not a valid geo: URI")

// Location is a point on Earth (WGS 84), as a geo: URI (RFC 5870) names it.
type Location struct {
	Latitude  float64 // -90 … 90
	Longitude float64 // -180 … 180
	// Uncertainty is the u= parameter in meters; 0 when the URI gives none (or a malformed one).
	Uncertainty float64
}

// ValidCoordinates reports whether lat and lon are finite and within ±90 and ±180 degrees.
func ValidCoordinates(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 // false for NaN, too
}

// FormatCoordinate writes a coordinate in the shortest decimal form that reads back exactly.
func FormatCoordinate(v float64) string {
	return strconv.FormatFloat(v+0, 'f', -1, 64) // +0 turns -0 into 0
}

// GeoURI is the geo: URI of a point, e.g. "geo:52.5163,13.3777".
func GeoURI(lat, lon float64) string {
	return "geo:" + FormatCoordinate(lat) + "," + FormatCoordinate(lon)
}

// ParseGeoURI reads a geo: URI as Matrix clients send it in m.location events:
//
//	geo:<lat>,<lon>[,<alt>][;crs=wgs84][;u=<meters>][;other params][?query]
//
// The scheme and parameter names are case-insensitive. Coordinates are plain decimals
// ("-33.8", not "1e2", "0x1p3", "NaN" or "+Inf"); the latitude must lie within ±90 and the
// longitude within ±180. An altitude is allowed and ignored, as are unknown parameters, a
// query (Android's "?z=" or "?q=") and a malformed u=. A crs other than wgs84 is an error,
// since the numbers would then not be degrees on the WGS 84 globe WhatsApp uses.
func ParseGeoURI(uri string) (Location, error) {
	s := strings.TrimSpace(uri)
	if len(s) < 4 || !strings.EqualFold(s[:4], "geo:") {
		return Location{}, fmt.Errorf("%w: it does not start with geo:", ErrInvalidGeoURI)
	}
	s = s[4:]
	if q := strings.IndexByte(s, '?'); q >= 0 {
		s = s[:q]
	}
	params := strings.Split(s, ";")
	coords := strings.Split(params[0], ",")
	if params[0] == "" {
		return Location{}, fmt.Errorf("%w: it has no coordinates", ErrInvalidGeoURI)
	}
	if len(coords) != 2 && len(coords) != 3 {
		return Location{}, fmt.Errorf("%w: want latitude,longitude", ErrInvalidGeoURI)
	}
	lat, ok := parseDecimal(coords[0], true)
	if !ok {
		return Location{}, fmt.Errorf("%w: latitude %q is not a number", ErrInvalidGeoURI, clip(coords[0]))
	}
	lon, ok := parseDecimal(coords[1], true)
	if !ok {
		return Location{}, fmt.Errorf("%w: longitude %q is not a number", ErrInvalidGeoURI, clip(coords[1]))
	}
	if len(coords) == 3 {
		if _, ok = parseDecimal(coords[2], true); !ok {
			return Location{}, fmt.Errorf("%w: altitude %q is not a number", ErrInvalidGeoURI, clip(coords[2]))
		}
	}
	if lat < -90 || lat > 90 {
		return Location{}, fmt.Errorf("%w: latitude %s is outside -90 to 90", ErrInvalidGeoURI, clip(coords[0]))
	}
	if lon < -180 || lon > 180 {
		return Location{}, fmt.Errorf("%w: longitude %s is outside -180 to 180", ErrInvalidGeoURI, clip(coords[1]))
	}
	loc := Location{Latitude: lat + 0, Longitude: lon + 0}
	for _, p := range params[1:] {
		name, value, _ := strings.Cut(p, "=")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "crs":
			if !strings.EqualFold(strings.TrimSpace(value), "wgs84") {
				return Location{}, fmt.Errorf("%w: coordinate system %q is not wgs84", ErrInvalidGeoURI, clip(value))
			}
		case "u":
			if u, ok := parseDecimal(strings.TrimSpace(value), false); ok {
				loc.Uncertainty = u
			}
		}
	}
	return loc, nil
}

// parseDecimal reads [-|+]digits[.digits] (the sign only if signed) as a finite float.
func parseDecimal(s string, signed bool) (float64, bool) {
	digits := s
	if signed && digits != "" && (digits[0] == '-' || digits[0] == '+') {
		digits = digits[1:]
	}
	whole, frac, hasDot := strings.Cut(digits, ".")
	if !isDecimalDigits(whole) || (hasDot && !isDecimalDigits(frac)) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func isDecimalDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip makes what an error quotes back short and printable, so a huge or binary URI does not
// make a huge or unreadable notice: at most 40 characters, anything unprintable as U+FFFD.
func clip(s string) string {
	const limit = 40
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if n == limit {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) {
			r = unicode.ReplacementChar
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// mapLink is a web map of a point, for clients that cannot show m.location.
func mapLink(lat, lon float64) string {
	la, lo := FormatCoordinate(lat), FormatCoordinate(lon)
	return "https://www.openstreetmap.org/?mlat=" + la + "&mlon=" + lo + "#map=16/" + la + "/" + lo
}

// locationToMatrix bridges a WhatsApp location pin as m.location. Coordinates that are not a
// point on Earth become a notice that still names the place.
func locationToMatrix(chat types.JID, loc *waE2E.LocationMessage) *bridgev2.ConvertedMessage {
	lat, lon := loc.GetDegreesLatitude(), loc.GetDegreesLongitude()
	var title []string
	for _, s := range []string{loc.GetName(), loc.GetAddress()} {
		if s = strings.TrimSpace(s); s != "" && (len(title) == 0 || s != title[0]) {
			title = append(title, s)
		}
	}
	coords := FormatCoordinate(lat) + ", " + FormatCoordinate(lon)
	var body strings.Builder
	body.WriteString("Location: ")
	valid := ValidCoordinates(lat, lon)
	if len(title) > 0 {
		body.WriteString(strings.Join(title, "\n"))
		body.WriteString("\n")
	}
	if valid {
		body.WriteString(coords + "\n" + mapLink(lat, lon))
	} else {
		body.WriteString("(WhatsApp sent invalid coordinates " + coords + ")")
	}
	if u := strings.TrimSpace(loc.GetURL()); strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		body.WriteString("\n" + u)
	}
	if comment := strings.TrimSpace(loc.GetComment()); comment != "" {
		body.WriteString("\n\n" + comment)
	}
	content := &event.MessageEventContent{MsgType: event.MsgLocation, Body: body.String(), Mentions: &event.Mentions{}}
	if valid {
		content.GeoURI = GeoURI(lat, lon)
	} else {
		content.MsgType = event.MsgNotice
	}
	return &bridgev2.ConvertedMessage{
		ReplyTo: replyTarget(chat, loc.GetContextInfo()),
		Parts:   []*bridgev2.ConvertedMessagePart{{Type: event.EventMessage, Content: content}},
	}
}

// liveLocationToMatrix bridges the start of a WhatsApp live location as text: Matrix has no
// live location the bridge could keep updating, so the user learns where it started and that
// the rest is only on WhatsApp.
func liveLocationToMatrix(chat types.JID, loc *waE2E.LiveLocationMessage) *bridgev2.ConvertedMessage {
	lat, lon := loc.GetDegreesLatitude(), loc.GetDegreesLongitude()
	var body strings.Builder
	if caption := strings.TrimSpace(loc.GetCaption()); caption != "" {
		body.WriteString(caption + "\n\n")
	}
	if ValidCoordinates(lat, lon) {
		body.WriteString("Shared a live location, starting at " + FormatCoordinate(lat) + ", " + FormatCoordinate(lon) + "\n" + mapLink(lat, lon) + "\n")
	} else {
		body.WriteString("Shared a live location.\n")
	}
	body.WriteString("Live location updates are not bridged: open WhatsApp on your phone to follow it.")
	return &bridgev2.ConvertedMessage{
		ReplyTo: replyTarget(chat, loc.GetContextInfo()),
		Parts: []*bridgev2.ConvertedMessagePart{{Type: event.EventMessage, Content: &event.MessageEventContent{
			MsgType: event.MsgText, Body: body.String(), Mentions: &event.Mentions{},
		}}},
	}
}

// invalidLocation is the message status of an m.location WhatsApp cannot take: the sender
// gets a notice saying why.
func invalidLocation(geoURI string, err error) error {
	refused := status.Refusedf("invalid location %q: %w", clip(geoURI), err)
	var ms bridgev2.MessageStatus
	if errors.As(refused, &ms) {
		return ms.WithErrorReason(event.MessageStatusUnsupported)
	}
	return refused
}

// locationToWhatsApp converts an m.location into a WhatsApp location pin. The body names the
// place unless it is empty or just restates the coordinates (it then contains a geo: URI, as
// the bodies Matrix clients generate do, e.g. "Location geo:52.5,13.4;u=10 at 2024-…").
func locationToWhatsApp(content *event.MessageEventContent, replyTo *database.Message) (*waE2E.Message, error) {
	loc, err := ParseGeoURI(content.GeoURI)
	if err != nil {
		return nil, invalidLocation(content.GeoURI, err)
	}
	info, err := contextInfo(nil, replyTo)
	if err != nil {
		return nil, err
	}
	msg := &waE2E.LocationMessage{
		DegreesLatitude:  proto.Float64(loc.Latitude),
		DegreesLongitude: proto.Float64(loc.Longitude),
		ContextInfo:      info,
	}
	if name := strings.TrimSpace(content.Body); name != "" && !strings.Contains(strings.ToLower(name), "geo:") {
		msg.Name = proto.String(name)
	}
	if loc.Uncertainty > 0 {
		msg.AccuracyInMeters = proto.Uint32(uint32(math.Min(math.Ceil(loc.Uncertainty), math.MaxUint32)))
	}
	return &waE2E.Message{LocationMessage: msg}, nil
}
