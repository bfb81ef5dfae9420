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

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// FuzzParseGeoURI: any string parses without panicking. A valid result is a finite point
// within ±90/±180 that GeoURI writes back exactly, that ToWhatsApp sends as those coordinates
// and that comes back from WhatsApp as the same geo URI; anything else is refused with a
// message status the sender is told about.
func FuzzParseGeoURI(f *testing.F) {
	seeds := []struct{ uri, body string }{
		{"geo:52.5163,13.3777", ""},
		{"geo:-33.8688,151.2093;u=35", "Sydney"},
		{"GEO:90,-180,12.5;crs=wgs84", "Location geo:90,-180 at 2024"},
		{"geo:", "x"},
		{"geo:abc,1", ""},
		{"geo:91,0", "too far north"},
		{"geo:0,0?q=1,2;u=3", "  "},
		{"geo:-0,-0;u=1e9", "geo:"},
		{"geo:1,2;crs=moon", ""},
		{"geo:1.,.2", ""},
		{"geo:" + strings.Repeat("1", 330) + ",0", ""},
		{" geo:+45.000000000000001,179.9999999999999999999;U=4294967296", "\x00\xff"},
	}
	for _, s := range seeds {
		f.Add(s.uri, s.body)
	}
	f.Fuzz(func(t *testing.T, uri, body string) {
		loc, err := waconv.ParseGeoURI(uri)
		msg, sendErr := waconv.ToWhatsApp(context.Background(), &event.MessageEventContent{MsgType: event.MsgLocation, GeoURI: uri, Body: body}, nil, nil)
		if err != nil {
			if !errors.Is(err, waconv.ErrInvalidGeoURI) {
				t.Fatalf("error %v does not wrap ErrInvalidGeoURI", err)
			}
			if len(err.Error()) > 200 {
				t.Fatalf("error for a %d-byte URI is %d bytes", len(uri), len(err.Error()))
			}
			var status bridgev2.MessageStatus
			if sendErr == nil || msg != nil || !errors.As(sendErr, &status) || !status.SendNotice {
				t.Fatalf("ToWhatsApp(%q) = %v, %v; want a message status with a notice", uri, msg, sendErr)
			}
			return
		}
		if !waconv.ValidCoordinates(loc.Latitude, loc.Longitude) || math.IsNaN(loc.Latitude) || math.IsNaN(loc.Longitude) {
			t.Fatalf("ParseGeoURI(%q) = %+v, outside the globe", uri, loc)
		}
		if (loc.Latitude == 0 && math.Signbit(loc.Latitude)) || (loc.Longitude == 0 && math.Signbit(loc.Longitude)) {
			t.Fatalf("ParseGeoURI(%q) = %+v has a negative zero", uri, loc)
		}
		if loc.Uncertainty < 0 || math.IsInf(loc.Uncertainty, 0) || math.IsNaN(loc.Uncertainty) {
			t.Fatalf("ParseGeoURI(%q) uncertainty %v", uri, loc.Uncertainty)
		}
		canonical := waconv.GeoURI(loc.Latitude, loc.Longitude)
		back, err := waconv.ParseGeoURI(canonical)
		if err != nil || back.Latitude != loc.Latitude || back.Longitude != loc.Longitude {
			t.Fatalf("GeoURI(%+v) = %q parses back as %+v, %v", loc, canonical, back, err)
		}
		if sendErr != nil {
			t.Fatalf("valid %q not sent: %v", uri, sendErr)
		}
		wa := msg.GetLocationMessage()
		if wa == nil || wa.GetDegreesLatitude() != loc.Latitude || wa.GetDegreesLongitude() != loc.Longitude {
			t.Fatalf("ToWhatsApp(%q) = %v, want %+v", uri, msg, loc)
		}
		name := strings.TrimSpace(body)
		if name == "" || strings.Contains(strings.ToLower(name), "geo:") {
			if wa.Name != nil {
				t.Fatalf("body %q became the name %q", body, wa.GetName())
			}
		} else if wa.GetName() != name {
			t.Fatalf("body %q became the name %q", body, wa.GetName())
		}
		conv := waconv.ToMatrix(context.Background(), dmChat, &waE2E.Message{LocationMessage: wa}, nil)
		if len(conv.Parts) != 1 || conv.Parts[0].Content.MsgType != event.MsgLocation || conv.Parts[0].Content.GeoURI != canonical {
			t.Fatalf("location %+v came back as %+v", loc, conv.Parts[0].Content)
		}
	})
}

// FuzzVCard: any vCard parses without panicking into a clean name and clean, non-empty phone
// numbers, and as a contact message becomes one Matrix event: the exact vCard as a file named
// <name>.vcf when it can be uploaded, else text with the name and every phone number.
func FuzzVCard(f *testing.F) {
	seeds := []struct {
		vcard, displayName string
		fail               bool
	}{
		{aliceVCard, "Alice", false},
		{bobVCard, "", false},
		{aliceVCard, "", true},
		{"", "Nobody", false},
		{"BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE:J=C3=BC=\r\nrgen\r\nEND:VCARD", "", false},
		{"FN:a\\,b\\;c\\nd\\\\\nN:x;y;z;w;v\nTEL:tel:", "../../etc/passwd", false},
		{"N:;;;;\nTEL;TYPE=\"a:b\";x:+1\n TEL:\t", "\x00\x01", true},
		{"FN;QUOTED-PRINTABLE:=\n=\n=ZZ=", "", false},
		{"fn:\xff\xfe\nitem9.tel:\u202e+1\u200b", "   ", false},
		{strings.Repeat("FN:", 50) + "\\", strings.Repeat("/", 200), false},
	}
	for _, s := range seeds {
		f.Add(s.vcard, s.displayName, s.fail)
	}
	f.Fuzz(func(t *testing.T, vcard, displayName string, fail bool) {
		card := waconv.ParseVCard(vcard)
		if !isCleanLine(card.Name) {
			t.Fatalf("Name %q is not one clean line", card.Name)
		}
		for _, p := range card.Phones {
			if p == "" || !isCleanLine(p) {
				t.Fatalf("phone %q is empty or not clean", p)
			}
		}
		media := &fakeMedia{}
		if fail {
			media.failUpload = errors.New("no")
		}
		msg := &waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String(displayName), Vcard: proto.String(vcard)}}
		conv := waconv.MediaToMatrix(context.Background(), dmChat, msg, media, nil, 0)
		if conv == nil || len(conv.Parts) != 1 || conv.Parts[0].Content == nil {
			t.Fatalf("MediaToMatrix = %+v, want one part", conv)
		}
		c := conv.Parts[0].Content
		name, ok := strings.CutPrefix(c.Body, "Contact: ")
		if !ok {
			t.Fatalf("Body %q does not start with Contact:", c.Body)
		}
		if vcard != "" && !fail {
			if c.MsgType != event.MsgFile || len(media.uploads) != 1 || string(media.uploads[0].data) != vcard {
				t.Fatalf("uploadable card became %s with %d uploads", c.MsgType, len(media.uploads))
			}
			if name == "" || !isCleanLine(name) {
				t.Fatalf("contact name %q is not one clean line", name)
			}
			base, ok := strings.CutSuffix(c.FileName, ".vcf")
			if !ok || base == "" || strings.ContainsAny(base, "/\\\x00") || strings.HasPrefix(base, ".") || !isCleanLine(base) || len([]rune(base)) > 100 {
				t.Fatalf("file name %q is not a safe .vcf name", c.FileName)
			}
			if c.Info == nil || c.Info.Size != len(vcard) || c.Info.MimeType != "text/vcard" {
				t.Fatalf("info = %+v", c.Info)
			}
			return
		}
		if c.MsgType != event.MsgText || len(media.uploads) != 0 {
			t.Fatalf("card that could not be uploaded became %s with %d uploads", c.MsgType, len(media.uploads))
		}
		first, _, _ := strings.Cut(name, "\n")
		if first == "" || !isCleanLine(first) {
			t.Fatalf("contact name %q is not one clean line", first)
		}
		for _, p := range card.Phones {
			if !strings.Contains(c.Body, "\nPhone: "+p) {
				t.Fatalf("text %q lacks phone %q", c.Body, p)
			}
		}
	})
}
