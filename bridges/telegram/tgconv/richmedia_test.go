package tgconv

import (
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

func TestRichMediaContent(t *testing.T) {
	point := &tg.GeoPoint{Lat: 52.520008, Long: 13.404954}
	accurate := &tg.GeoPoint{Lat: -33.8688, Long: 151.2093}
	accurate.SetAccuracyRadius(25)
	tests := []struct {
		name    string
		media   tg.MessageMediaClass
		msgType event.MessageType
		body    string
		geo     string
	}{
		{"location", &tg.MessageMediaGeo{Geo: point}, event.MsgLocation, "Location: 52.520008, 13.404954", "geo:52.520008,13.404954"},
		{"accuracy", &tg.MessageMediaGeo{Geo: accurate}, event.MsgLocation, "Location: -33.868800, 151.209300", "geo:-33.868800,151.209300;u=25"},
		{"empty point", &tg.MessageMediaGeo{Geo: &tg.GeoPointEmpty{}}, event.MsgNotice, "Location: Telegram did not include the coordinates.", ""},
		{"live", &tg.MessageMediaGeoLive{Geo: point, Period: 900}, event.MsgLocation,
			"Live location: 52.520008, 13.404954 (the bridge shows where it started; open Telegram to follow it)", "geo:52.520008,13.404954"},
		{"venue", &tg.MessageMediaVenue{Geo: point, Title: "Cafe", Address: "Main St 1"}, event.MsgLocation,
			"Cafe, Main St 1: 52.520008, 13.404954", "geo:52.520008,13.404954"},
		{"venue without names", &tg.MessageMediaVenue{Geo: point}, event.MsgLocation, "Venue: 52.520008, 13.404954", "geo:52.520008,13.404954"},
		{"contact", &tg.MessageMediaContact{FirstName: "Ann", LastName: "Lee", PhoneNumber: "+15550001"}, event.MsgText,
			"Shared contact: Ann Lee, +15550001", ""},
		{"contact without name", &tg.MessageMediaContact{PhoneNumber: "+15550001"}, event.MsgText, "Shared contact: +15550001", ""},
		{"empty contact", &tg.MessageMediaContact{}, event.MsgText, "Shared contact: (no name or number)", ""},
		{"dice", &tg.MessageMediaDice{Value: 5, Emoticon: "🎯"}, event.MsgText, "🎯 rolled 5", ""},
		{"dice without emoji", &tg.MessageMediaDice{Value: 2}, event.MsgText, "🎲 rolled 2", ""},
		{"game", &tg.MessageMediaGame{Game: tg.Game{Title: "Lumberjack", Description: "Chop wood"}}, event.MsgNotice,
			"🎮 Game: Lumberjack — Chop wood (open Telegram to play it)", ""},
		{"invoice", &tg.MessageMediaInvoice{Title: "Pizza"}, event.MsgNotice, "🧾 Invoice: Pizza (open Telegram to pay it)", ""},
		{"story", &tg.MessageMediaStory{}, event.MsgNotice, "📖 Story (open Telegram to see it)", ""},
		{"giveaway", &tg.MessageMediaGiveaway{}, event.MsgNotice, "🎁 Giveaway (open Telegram to take part)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RichMedia(tt.media)
			if got == nil {
				t.Fatal("no content")
			}
			if got.MsgType != tt.msgType || got.Body != tt.body || got.GeoURI != tt.geo {
				t.Errorf("got %s %q %q, want %s %q %q", got.MsgType, got.Body, got.GeoURI, tt.msgType, tt.body, tt.geo)
			}
		})
	}
	for _, media := range []tg.MessageMediaClass{nil, &tg.MessageMediaEmpty{}, &tg.MessageMediaPhoto{}, &tg.MessageMediaUnsupported{}} {
		if got := RichMedia(media); got != nil {
			t.Errorf("%T: got %+v, want nil (not rich media)", media, got)
		}
	}
}

// FuzzRichMediaContent feeds arbitrary TL-encoded media to the converter: it must never
// panic, and what it returns must be a message with a body.
func FuzzRichMediaContent(f *testing.F) {
	for _, seed := range []tg.MessageMediaClass{
		&tg.MessageMediaGeo{Geo: &tg.GeoPoint{Lat: 1, Long: 2}},
		&tg.MessageMediaVenue{Geo: &tg.GeoPoint{Lat: 1, Long: 2}, Title: "t", Address: "a"},
		&tg.MessageMediaContact{FirstName: "a", PhoneNumber: "1"},
		&tg.MessageMediaDice{Value: 6, Emoticon: "🎲"},
		&tg.MessageMediaGeoLive{Geo: &tg.GeoPointEmpty{}},
		&tg.MessageMediaGame{Game: tg.Game{Title: "g", Photo: &tg.PhotoEmpty{}}},
	} {
		addTL(f, seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		media, err := tg.DecodeMessageMedia(&bin.Buffer{Buf: data})
		if err != nil {
			return
		}
		if got := RichMedia(media); got != nil && (got.Body == "" || got.MsgType == "") {
			t.Errorf("%T gave content without a body: %+v", media, got)
		}
	})
}
