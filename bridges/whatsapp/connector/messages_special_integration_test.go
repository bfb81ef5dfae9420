//go:build integration

package connector_test

// Locations and contact cards, both ways where WhatsApp has them.

import (
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

const (
	gateVCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Keeper;Gate;;;\r\nFN:Gate Keeper\r\n" +
		"item1.TEL;waid=4930123456:+49 30 123456\r\nitem1.X-ABLabel:Mobile\r\nEND:VCARD"
	otherVCard = "BEGIN:VCARD\nVERSION:4.0\nFN:Other Person\nTEL;VALUE=uri:tel:+1-555-0199\nEND:VCARD\n"
)

// TestLocationFromWhatsApp: a pinned location arrives from the ghost as m.location with the
// coordinates as a geo URI, the place in the body, and its reply.
func TestLocationFromWhatsApp(t *testing.T) {
	s := login(t, "Lou")
	ch, hello, helloEvt := openChat(t, s, "Mo", "where are you?")
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{LocationMessage: &waE2E.LocationMessage{
		DegreesLatitude: proto.Float64(52.516275), DegreesLongitude: proto.Float64(13.377704),
		Name: proto.String("Brandenburg Gate"), Address: proto.String("Pariser Platz, Berlin"),
		ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String(string(hello.Info.ID)), Participant: proto.String(ch.peer.String())},
	}})
	evt := s.u.WaitFor(t, ch.portal, c, "Mo's location", matrixtest.MessageFrom(ch.ghost, "Brandenburg Gate"))
	msg := evt.Content.AsMessage()
	if msg.MsgType != event.MsgLocation || msg.GeoURI != "geo:52.516275,13.377704" {
		t.Errorf("location arrived as %s with geo URI %q, want m.location geo:52.516275,13.377704", msg.MsgType, msg.GeoURI)
	}
	for _, want := range []string{"Pariser Platz, Berlin", "52.516275, 13.377704", "openstreetmap.org"} {
		if !strings.Contains(msg.Body, want) {
			t.Errorf("body %q lacks %q", msg.Body, want)
		}
	}
	if target := msg.RelatesTo.GetReplyTo(); target != helloEvt.ID {
		t.Errorf("location replies to %s, want %s", target, helloEvt.ID)
	}

	c = s.u.Cursor()
	ch.incoming(&waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(-33.8688), DegreesLongitude: proto.Float64(-70.6693)}})
	evt = s.u.WaitFor(t, ch.portal, c, "Mo's unnamed location", matrixtest.Type(event.EventMessage, ch.ghost))
	if msg = evt.Content.AsMessage(); msg.MsgType != event.MsgLocation || msg.GeoURI != "geo:-33.8688,-70.6693" {
		t.Errorf("unnamed location arrived as %s %q: %q", msg.MsgType, msg.GeoURI, msg.Body)
	}
}

// TestLiveLocationFromWhatsApp: a live location is text that says where it started and that
// the updates stay on WhatsApp.
func TestLiveLocationFromWhatsApp(t *testing.T) {
	s := login(t, "Liv")
	ch, _, _ := openChat(t, s, "Nat", "tracking me?")
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{LiveLocationMessage: &waE2E.LiveLocationMessage{
		DegreesLatitude: proto.Float64(48.8584), DegreesLongitude: proto.Float64(2.2945), Caption: proto.String("on my way"),
	}})
	evt := s.u.WaitFor(t, ch.portal, c, "Nat's live location", matrixtest.MessageFrom(ch.ghost, "live location"))
	msg := evt.Content.AsMessage()
	if msg.MsgType != event.MsgText {
		t.Errorf("live location arrived as %s, want m.text", msg.MsgType)
	}
	for _, want := range []string{"on my way", "48.8584, 2.2945", "not bridged"} {
		if !strings.Contains(msg.Body, want) {
			t.Errorf("body %q lacks %q", msg.Body, want)
		}
	}
}

// TestContactFromWhatsApp: a contact card arrives as a .vcf file with exactly the vCard's
// bytes, named after the contact.
func TestContactFromWhatsApp(t *testing.T) {
	s := login(t, "Cora")
	ch, _, _ := openChat(t, s, "Dan", "here's the number")
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String("Gate Keeper"), Vcard: proto.String(gateVCard)}})
	evt := s.u.WaitFor(t, ch.portal, c, "Dan's contact card", matrixtest.MessageFrom(ch.ghost, "Contact: Gate Keeper"))
	msg := evt.Content.AsMessage()
	if msg.MsgType != event.MsgFile || msg.FileName != "Gate Keeper.vcf" {
		t.Errorf("contact arrived as %s named %q, want m.file Gate Keeper.vcf", msg.MsgType, msg.FileName)
	}
	if msg.Info == nil || msg.Info.MimeType != "text/vcard" || msg.Info.Size != len(gateVCard) {
		t.Errorf("contact file info = %+v", msg.Info)
	}
	if got := s.u.Download(t, msg.URL); string(got) != gateVCard {
		t.Errorf("downloaded vCard = %q, want %q", got, gateVCard)
	}
}

// TestContactsArrayFromWhatsApp: a list of two contacts is two file events, in order.
func TestContactsArrayFromWhatsApp(t *testing.T) {
	s := login(t, "Ezra")
	ch, _, _ := openChat(t, s, "Flo", "two people you should know")
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{
		DisplayName: proto.String("2 contacts"),
		Contacts: []*waE2E.ContactMessage{
			{DisplayName: proto.String("Gate Keeper"), Vcard: proto.String(gateVCard)},
			{DisplayName: proto.String("Other Person"), Vcard: proto.String(otherVCard)},
		},
	}})
	first := s.u.WaitFor(t, ch.portal, c, "the first contact", matrixtest.MessageFrom(ch.ghost, "Contact: Gate Keeper"))
	second := s.u.WaitFor(t, ch.portal, c, "the second contact", matrixtest.MessageFrom(ch.ghost, "Contact: Other Person"))
	if first.ID == second.ID {
		t.Fatal("both contacts are the same event")
	}
	if first.Timestamp > second.Timestamp {
		t.Errorf("contacts arrived out of order")
	}
	for evt, want := range map[*event.Event]string{first: gateVCard, second: otherVCard} {
		msg := evt.Content.AsMessage()
		if msg.MsgType != event.MsgFile {
			t.Errorf("contact %q arrived as %s", msg.Body, msg.MsgType)
			continue
		}
		if got := s.u.Download(t, msg.URL); string(got) != want {
			t.Errorf("contact %q downloads as %q, want %q", msg.Body, got, want)
		}
	}
}

// TestLocationToWhatsApp: a Matrix location reaches WhatsApp as a location pin with the same
// coordinates, named by the body.
func TestLocationToWhatsApp(t *testing.T) {
	s := login(t, "Gil")
	ch, _, _ := openChat(t, s, "Hana", "send me your location")
	net.DrainSent()
	s.u.Send(t, ch.portal, &event.MessageEventContent{MsgType: event.MsgLocation, Body: "Sydney Opera House", GeoURI: "geo:-33.8568,151.2153;u=10"})
	got := sent(t)
	loc := got.Message.GetLocationMessage()
	if got.To != ch.peer || loc == nil {
		t.Fatalf("sent %v to %s, want a location to %s", got.Message, got.To, ch.peer)
	}
	if loc.GetDegreesLatitude() != -33.8568 || loc.GetDegreesLongitude() != 151.2153 || loc.GetName() != "Sydney Opera House" || loc.GetAccuracyInMeters() != 10 {
		t.Errorf("location sent = %v", loc)
	}

	// A client-generated body is not a place name.
	s.u.Send(t, ch.portal, &event.MessageEventContent{MsgType: event.MsgLocation, Body: "Location geo:1.5,-2.5 at 2025-01-01T00:00:00Z", GeoURI: "geo:1.5,-2.5"})
	if loc = sent(t).Message.GetLocationMessage(); loc.GetDegreesLatitude() != 1.5 || loc.GetDegreesLongitude() != -2.5 || loc.Name != nil {
		t.Errorf("second location sent = %v", loc)
	}
}

// TestInvalidLocationToWhatsApp: a location with a malformed geo URI is not sent; the sender
// gets a notice saying why, and the chat keeps working.
func TestInvalidLocationToWhatsApp(t *testing.T) {
	s := login(t, "Ivo")
	ch, _, _ := openChat(t, s, "Jan", "where?")
	net.DrainSent()
	for _, tt := range []struct{ uri, why string }{
		{"geo:91,0", "latitude 91 is outside -90 to 90"},
		{"geo:abc,1", `latitude "abc" is not a number`},
	} {
		c := s.u.Cursor()
		s.u.Send(t, ch.portal, &event.MessageEventContent{MsgType: event.MsgLocation, Body: "nowhere", GeoURI: tt.uri})
		s.u.WaitFor(t, ch.portal, c, "a notice about "+tt.uri, matrixtest.MessageFrom(bridge.BotMXID(), "invalid location", tt.why))
	}
	if got, err := net.WaitSent(500 * time.Millisecond); err == nil {
		t.Errorf("an invalid location sent %v to WhatsApp", got.Message)
	}
	s.u.SendText(t, ch.portal, "never mind")
	if got := sent(t); got.Message.GetConversation() != "never mind" {
		t.Errorf("after the invalid locations the bridge sent %v", got.Message)
	}
}
