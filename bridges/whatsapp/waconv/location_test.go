package waconv_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// TestParseGeoURI documents which geo: URIs are valid: RFC 5870 decimals, latitude within ±90,
// longitude within ±180, an optional ignored altitude, wgs84 as the only coordinate system.
func TestParseGeoURI(t *testing.T) {
	valid := []struct {
		uri           string
		lat, lon, unc float64
	}{
		{"geo:52.5163,13.3777", 52.5163, 13.3777, 0},
		{"geo:-33.8688,151.2093", -33.8688, 151.2093, 0},
		{"geo:40.7128,-74.006", 40.7128, -74.006, 0},
		{"geo:-22.9068,-43.1729", -22.9068, -43.1729, 0},
		{"geo:90,180", 90, 180, 0},
		{"geo:-90,-180", -90, -180, 0},
		{"geo:0,0", 0, 0, 0},
		{"geo:-0,-0.0", 0, 0, 0},
		{"GEO:1,2", 1, 2, 0},
		{"geo:51.5008,0.1247;u=35", 51.5008, 0.1247, 35},
		{"geo:1,2;U=7.5", 1, 2, 7.5},
		{"geo:1,2,100", 1, 2, 0},
		{"geo:1,2,-12.5;crs=WGS84;u=5", 1, 2, 5},
		{"geo:1,2;crs=wgs84", 1, 2, 0},
		{"geo:1,2;foo=bar;baz", 1, 2, 0},
		{"geo:1,2;u=abc", 1, 2, 0},   // a malformed uncertainty is ignored
		{"geo:1,2;u=-5", 1, 2, 0},    // so is a negative one
		{"geo:0,0?q=pizza", 0, 0, 0}, // Android's search query
		{"  geo:1.25,2.5  ", 1.25, 2.5, 0},
		{"geo:+1.5,+2", 1.5, 2, 0},
		{"geo:0.000001,-179.999999", 0.000001, -179.999999, 0},
	}
	for _, tt := range valid {
		t.Run(tt.uri, func(t *testing.T) {
			loc, err := waconv.ParseGeoURI(tt.uri)
			if err != nil {
				t.Fatalf("ParseGeoURI(%q) = %v, want valid", tt.uri, err)
			}
			if loc.Latitude != tt.lat || loc.Longitude != tt.lon || loc.Uncertainty != tt.unc {
				t.Errorf("ParseGeoURI(%q) = %+v, want %v,%v u=%v", tt.uri, loc, tt.lat, tt.lon, tt.unc)
			}
			if math.Signbit(loc.Latitude) && loc.Latitude == 0 || math.Signbit(loc.Longitude) && loc.Longitude == 0 {
				t.Errorf("ParseGeoURI(%q) kept a negative zero: %+v", tt.uri, loc)
			}
		})
	}
	invalid := []struct{ uri, why string }{
		{"", "does not start with geo:"},
		{"geo:", "no coordinates"},
		{"geo:;u=5", "no coordinates"},
		{"geo:1", "want latitude,longitude"},
		{"geo:1,2,3,4", "want latitude,longitude"},
		{"geo:abc,1", `latitude "abc" is not a number`},
		{"geo:1,abc", `longitude "abc" is not a number`},
		{"geo:1,2,x", `altitude "x" is not a number`},
		{"geo:,1", "latitude"},
		{"geo:1,", "longitude"},
		{"geo:91,0", "latitude 91 is outside -90 to 90"},
		{"geo:-90.0001,0", "latitude -90.0001 is outside"},
		{"geo:0,180.5", "longitude 180.5 is outside -180 to 180"},
		{"geo:0,-181", "longitude -181 is outside"},
		{"geo:NaN,0", "not a number"},
		{"geo:Inf,0", "not a number"},
		{"geo:1e1,0", "not a number"},
		{"geo:0x1p2,0", "not a number"},
		{"geo:1_0,0", "not a number"},
		{"geo:1.,2", "not a number"},
		{"geo:.5,2", "not a number"},
		{"geo:--1,2", "not a number"},
		{"geo: 1,2", "not a number"},
		{"geo:1,2;crs=moon", `coordinate system "moon" is not wgs84`},
		{"https://maps.example.com/?q=1,2", "does not start with geo:"},
		{"geo:" + strings.Repeat("9", 400) + ",0", "…"},
	}
	for _, tt := range invalid {
		t.Run("invalid "+tt.uri, func(t *testing.T) {
			loc, err := waconv.ParseGeoURI(tt.uri)
			if err == nil {
				t.Fatalf("ParseGeoURI(%q) = %+v, want an error", tt.uri, loc)
			}
			if !errors.Is(err, waconv.ErrInvalidGeoURI) {
				t.Errorf("error %v does not wrap ErrInvalidGeoURI", err)
			}
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q does not say %q", err, tt.why)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
		})
	}
}

func TestGeoURIRoundTrip(t *testing.T) {
	for _, c := range [][2]float64{{52.516275, 13.377704}, {-33.8688, 151.2093}, {0.1, -0.2}, {-90, 180}, {1e-7, -1e-7}, {45, 0}} {
		uri := waconv.GeoURI(c[0], c[1])
		if strings.ContainsAny(strings.TrimPrefix(uri, "geo:"), "eE") {
			t.Errorf("GeoURI(%v) = %q uses an exponent", c, uri)
		}
		loc, err := waconv.ParseGeoURI(uri)
		if err != nil || loc.Latitude != c[0] || loc.Longitude != c[1] {
			t.Errorf("GeoURI(%v) = %q parses back as %+v, %v", c, uri, loc, err)
		}
	}
	if got := waconv.GeoURI(-33.8688, 151.2093); got != "geo:-33.8688,151.2093" {
		t.Errorf("GeoURI = %q", got)
	}
	if got := waconv.GeoURI(math.Copysign(0, -1), 1); got != "geo:0,1" {
		t.Errorf("GeoURI(-0, 1) = %q, want geo:0,1", got)
	}
}

func locationMsg(lat, lon float64, name, address string) *waE2E.Message {
	loc := &waE2E.LocationMessage{DegreesLatitude: proto.Float64(lat), DegreesLongitude: proto.Float64(lon)}
	if name != "" {
		loc.Name = proto.String(name)
	}
	if address != "" {
		loc.Address = proto.String(address)
	}
	return &waE2E.Message{LocationMessage: loc}
}

func TestLocationToMatrix(t *testing.T) {
	tests := []struct {
		name      string
		msg       *waE2E.Message
		wantType  event.MessageType
		wantGeo   string // "" = no geo URI
		wantBody  []string
		wantFirst string // the first line of the body
	}{
		{
			name:      "name and address",
			msg:       locationMsg(52.516275, 13.377704, "Brandenburg Gate", "Pariser Platz, 10117 Berlin"),
			wantType:  event.MsgLocation,
			wantGeo:   "geo:52.516275,13.377704",
			wantBody:  []string{"Pariser Platz, 10117 Berlin", "52.516275, 13.377704", "https://www.openstreetmap.org/?mlat=52.516275&mlon=13.377704"},
			wantFirst: "Location: Brandenburg Gate",
		},
		{
			name:      "no name",
			msg:       locationMsg(52.5, 13.4, "", ""),
			wantType:  event.MsgLocation,
			wantGeo:   "geo:52.5,13.4",
			wantBody:  []string{"openstreetmap.org"},
			wantFirst: "Location: 52.5, 13.4",
		},
		{
			name:      "address only",
			msg:       locationMsg(1, 2, "", "Main St 1"),
			wantType:  event.MsgLocation,
			wantGeo:   "geo:1,2",
			wantFirst: "Location: Main St 1",
		},
		{
			name:      "negative coordinates",
			msg:       locationMsg(-33.8688, -70.6693, "Santiago", ""),
			wantType:  event.MsgLocation,
			wantGeo:   "geo:-33.8688,-70.6693",
			wantBody:  []string{"-33.8688, -70.6693", "mlat=-33.8688&mlon=-70.6693"},
			wantFirst: "Location: Santiago",
		},
		{
			name:      "name equal to address is said once",
			msg:       locationMsg(1, 2, "Cafe", " Cafe "),
			wantType:  event.MsgLocation,
			wantGeo:   "geo:1,2",
			wantFirst: "Location: Cafe",
		},
		{
			name:      "missing coordinates are 0,0",
			msg:       &waE2E.Message{LocationMessage: &waE2E.LocationMessage{}},
			wantType:  event.MsgLocation,
			wantGeo:   "geo:0,0",
			wantFirst: "Location: 0, 0",
		},
		{
			name: "comment and URL",
			msg: &waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(1), DegreesLongitude: proto.Float64(2),
				Name: proto.String("Shop"), URL: proto.String("https://shop.example"), Comment: proto.String("meet here")}},
			wantType:  event.MsgLocation,
			wantGeo:   "geo:1,2",
			wantBody:  []string{"https://shop.example", "\n\nmeet here"},
			wantFirst: "Location: Shop",
		},
		{
			name:      "latitude out of range becomes a notice",
			msg:       locationMsg(100, 2, "Nowhere", ""),
			wantType:  event.MsgNotice,
			wantBody:  []string{"invalid coordinates 100, 2"},
			wantFirst: "Location: Nowhere",
		},
		{
			name:      "NaN becomes a notice",
			msg:       locationMsg(math.NaN(), 2, "", ""),
			wantType:  event.MsgNotice,
			wantBody:  []string{"invalid coordinates"},
			wantFirst: "Location: (WhatsApp sent invalid coordinates NaN, 2)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := onePart(t, dmChat, tt.msg, newFakeUsers())
			if content.MsgType != tt.wantType {
				t.Errorf("MsgType = %q, want %q", content.MsgType, tt.wantType)
			}
			if content.GeoURI != tt.wantGeo {
				t.Errorf("GeoURI = %q, want %q", content.GeoURI, tt.wantGeo)
			}
			if tt.wantGeo != "" {
				if _, err := waconv.ParseGeoURI(content.GeoURI); err != nil {
					t.Errorf("bridged geo URI does not parse: %v", err)
				}
			}
			if first, _, _ := strings.Cut(content.Body, "\n"); first != tt.wantFirst {
				t.Errorf("first body line = %q, want %q (body %q)", first, tt.wantFirst, content.Body)
			}
			for _, want := range tt.wantBody {
				if !strings.Contains(content.Body, want) {
					t.Errorf("Body = %q lacks %q", content.Body, want)
				}
			}
			if strings.Count(content.Body, "Cafe") > 1 {
				t.Errorf("Body = %q repeats the name", content.Body)
			}
			if content.Mentions == nil || len(content.Mentions.UserIDs) != 0 {
				t.Errorf("Mentions = %+v, want explicitly none", content.Mentions)
			}
		})
	}
}

func TestLiveLocationToMatrix(t *testing.T) {
	tests := []struct {
		name string
		msg  *waE2E.LiveLocationMessage
		want []string
		not  []string
	}{
		{
			name: "with caption",
			msg:  &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(48.8584), DegreesLongitude: proto.Float64(2.2945), Caption: proto.String("on my way")},
			want: []string{"on my way\n\n", "live location", "48.8584, 2.2945", "openstreetmap.org", "not bridged"},
		},
		{
			name: "negative, no caption",
			msg:  &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(-1.5), DegreesLongitude: proto.Float64(-2.25)},
			want: []string{"live location", "-1.5, -2.25", "not bridged"},
		},
		{
			name: "invalid coordinates are left out",
			msg:  &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(1000), DegreesLongitude: proto.Float64(2)},
			want: []string{"live location", "not bridged"},
			not:  []string{"1000", "openstreetmap"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := onePart(t, dmChat, &waE2E.Message{LiveLocationMessage: tt.msg}, newFakeUsers())
			if content.MsgType != event.MsgText {
				t.Errorf("MsgType = %q, want m.text", content.MsgType)
			}
			if content.GeoURI != "" {
				t.Errorf("live location has GeoURI %q: it is text", content.GeoURI)
			}
			for _, want := range tt.want {
				if !strings.Contains(content.Body, want) {
					t.Errorf("Body = %q lacks %q", content.Body, want)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(content.Body, not) {
					t.Errorf("Body = %q contains %q", content.Body, not)
				}
			}
		})
	}
}

func TestLocationRepliesToMatrix(t *testing.T) {
	info := &waE2E.ContextInfo{StanzaID: proto.String("3EB0LOC"), Participant: proto.String(userJID(bobPhone).String())}
	want := ids.MessageID(groupChat, userJID(bobPhone), "3EB0LOC")
	for name, msg := range map[string]*waE2E.Message{
		"location":      {LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(1), ContextInfo: info}},
		"live location": {LiveLocationMessage: &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(1), ContextInfo: info}},
	} {
		conv := waconv.ToMatrix(context.Background(), groupChat, msg, newFakeUsers())
		if conv.ReplyTo == nil || conv.ReplyTo.MessageID != want {
			t.Errorf("%s: ReplyTo = %+v, want %s", name, conv.ReplyTo, want)
		}
	}
	conv := waconv.ToMatrix(context.Background(), groupChat, locationMsg(1, 2, "", ""), newFakeUsers())
	if conv.ReplyTo != nil {
		t.Errorf("location without context: ReplyTo = %+v", conv.ReplyTo)
	}
}

func geoContent(uri, body string) *event.MessageEventContent {
	return &event.MessageEventContent{MsgType: event.MsgLocation, GeoURI: uri, Body: body}
}

func TestLocationToWhatsApp(t *testing.T) {
	tests := []struct {
		name     string
		content  *event.MessageEventContent
		lat, lon float64
		wantName string // "" = no name
		accuracy uint32
	}{
		{"plain", geoContent("geo:52.5163,13.3777", ""), 52.5163, 13.3777, "", 0},
		{"body is the uri", geoContent("geo:52.5163,13.3777", "geo:52.5163,13.3777"), 52.5163, 13.3777, "", 0},
		{"client-generated body", geoContent("geo:51.5008,0.1247;u=35", "Location geo:51.5008,0.1247;u=35 at 2024-01-01T12:00:00.000Z"), 51.5008, 0.1247, "", 35},
		{"client-generated body, other case", geoContent("geo:1,2", "User Location GEO:1,2 at 2024"), 1, 2, "", 0},
		{"named place", geoContent("geo:-33.8568,151.2153", "  Sydney Opera House "), -33.8568, 151.2153, "Sydney Opera House", 0},
		{"negative longitude", geoContent("geo:40.6892,-74.0445;u=12.2", "Statue of Liberty"), 40.6892, -74.0445, "Statue of Liberty", 13},
		{"altitude and crs", geoContent("GEO:10,20,300;crs=wgs84", "x"), 10, 20, "x", 0},
		{"huge uncertainty is capped", geoContent("geo:1,2;u=99999999999", ""), 1, 2, "", math.MaxUint32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := waconv.ToWhatsApp(context.Background(), tt.content, nil, newFakeUsers())
			if err != nil {
				t.Fatal(err)
			}
			loc := msg.GetLocationMessage()
			if loc == nil || msg.Conversation != nil || msg.ExtendedTextMessage != nil {
				t.Fatalf("ToWhatsApp = %v, want only a LocationMessage", msg)
			}
			if loc.DegreesLatitude == nil || loc.DegreesLongitude == nil || loc.GetDegreesLatitude() != tt.lat || loc.GetDegreesLongitude() != tt.lon {
				t.Errorf("coordinates = %v,%v, want %v,%v", loc.GetDegreesLatitude(), loc.GetDegreesLongitude(), tt.lat, tt.lon)
			}
			if tt.wantName == "" && loc.Name != nil {
				t.Errorf("Name = %q, want none", loc.GetName())
			} else if loc.GetName() != tt.wantName {
				t.Errorf("Name = %q, want %q", loc.GetName(), tt.wantName)
			}
			if loc.GetAccuracyInMeters() != tt.accuracy {
				t.Errorf("AccuracyInMeters = %d, want %d", loc.GetAccuracyInMeters(), tt.accuracy)
			}
			if loc.ContextInfo != nil {
				t.Errorf("ContextInfo = %v without a reply", loc.ContextInfo)
			}
		})
	}
}

func TestLocationToWhatsAppReply(t *testing.T) {
	msg, err := waconv.ToWhatsApp(context.Background(), geoContent("geo:1,2", "here"), replyTarget(groupChat, userJID(bobPhone), "3EB0Q"), newFakeUsers())
	if err != nil {
		t.Fatal(err)
	}
	info := msg.GetLocationMessage().GetContextInfo()
	if info.GetStanzaID() != "3EB0Q" || info.GetParticipant() != userJID(bobPhone).String() || info.GetQuotedMessage() == nil {
		t.Errorf("reply context = %v", info)
	}
}

// TestLocationToWhatsAppInvalid: a malformed location is refused with a message status the
// sender sees as a notice that quotes the URI and says what is wrong.
func TestLocationToWhatsAppInvalid(t *testing.T) {
	tests := []struct{ uri, why string }{
		{"", "does not start with geo:"},
		{"geo:", "no coordinates"},
		{"geo:abc,1", "not a number"},
		{"geo:91,0", "outside -90 to 90"},
		{"geo:0,-180.01", "outside -180 to 180"},
		{"geo:1,2;crs=moon", "not wgs84"},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			msg, err := waconv.ToWhatsApp(context.Background(), geoContent(tt.uri, "somewhere"), nil, newFakeUsers())
			if err == nil || msg != nil {
				t.Fatalf("ToWhatsApp = %v, %v; want an error", msg, err)
			}
			if want := `invalid location "` + tt.uri + `"`; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q, want it to start with %q and say %q", err, want, tt.why)
			}
			if !errors.Is(err, waconv.ErrInvalidGeoURI) {
				t.Errorf("error %v does not wrap ErrInvalidGeoURI", err)
			}
			var status bridgev2.MessageStatus
			if !errors.As(err, &status) {
				t.Fatalf("error %v is not a message status", err)
			}
			if !status.SendNotice || !status.ErrorAsMessage || !status.IsCertain || status.ErrorReason != event.MessageStatusUnsupported {
				t.Errorf("status = %+v, want a certain notice with the error as its message", status)
			}
		})
	}
}

// TestLocationRoundTrip: a Matrix location sent to WhatsApp and bridged back is the same point.
func TestLocationRoundTrip(t *testing.T) {
	msg, err := waconv.ToWhatsApp(context.Background(), geoContent("geo:-41.2865,174.7762;u=20", "Wellington"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	content := onePart(t, dmChat, msg, nil)
	if content.GeoURI != "geo:-41.2865,174.7762" || !strings.HasPrefix(content.Body, "Location: Wellington\n") {
		t.Errorf("round trip gave GeoURI %q body %q", content.GeoURI, content.Body)
	}
}
