//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestLocationsContactsDiceGames: a venue, a live location, a shared contact, a dice roll and a game from
// Telegram arrive as a Matrix location with coordinates and readable text, not as
// "unsupported message" notices.
func TestLocationsContactsDiceGames(t *testing.T) {
	s := login(t, "Gia")
	peer, portal, ghost, _, _ := chatWith(t, s, "Hal")
	ctx := context.Background()
	point := &tg.GeoPoint{Lat: 48.858370, Long: 2.294481}
	live := &tg.MessageMediaGeoLive{Geo: point, Period: 900}
	live.SetFlags()

	tests := []struct {
		what  string
		media tg.MessageMediaClass
		match matrixtest.Match
	}{
		{"the venue", &tg.MessageMediaVenue{Geo: point, Title: "Eiffel Tower", Address: "Champ de Mars"}, func(x matrixtest.Seen) bool {
			m := x.Event.Content.AsMessage()
			return x.Event.Sender == ghost && m.MsgType == event.MsgLocation && m.GeoURI == "geo:48.858370,2.294481" &&
				m.Body == "Eiffel Tower, Champ de Mars: 48.858370, 2.294481"
		}},
		{"the live location", live, func(x matrixtest.Seen) bool {
			m := x.Event.Content.AsMessage()
			return x.Event.Sender == ghost && m.MsgType == event.MsgLocation && m.GeoURI == "geo:48.858370,2.294481"
		}},
		{"the contact", &tg.MessageMediaContact{FirstName: "Ivy", PhoneNumber: "+15550123"}, matrixtest.MessageFrom(ghost, "Shared contact: Ivy, +15550123")},
		{"the dice", &tg.MessageMediaDice{Value: 4, Emoticon: "🎲"}, matrixtest.MessageFrom(ghost, "🎲 rolled 4")},
		{"the game", &tg.MessageMediaGame{Game: tg.Game{Title: "Lumberjack", ShortName: "lumber", Photo: &tg.PhotoEmpty{}}},
			matrixtest.MessageFrom(ghost, "🎮 Game: Lumberjack (open Telegram to play it)")},
	}
	for _, tt := range tests {
		c := s.u.Cursor()
		if _, err := net.DeliverMedia(ctx, s.acct, peer, tt.media, ""); err != nil {
			t.Fatal(err)
		}
		s.u.WaitFor(t, portal, c, tt.what, tt.match)
	}
}

// TestLocationToTelegram: a Matrix location goes to Telegram as a map point; one whose geo URI
// cannot be read is refused with a notice.
func TestLocationToTelegram(t *testing.T) {
	s := login(t, "Ike")
	peer, portal, _, _, _ := chatWith(t, s, "Jan")

	s.u.Send(t, portal, &event.MessageEventContent{MsgType: event.MsgLocation, Body: "Location", GeoURI: "geo:51.5007,-0.1246;u=30"})
	got := sentOf(t, "media")
	if got.Media != "geo" || got.To != peer.ID || got.Lat != 51.5007 || got.Long != -0.1246 || got.AccuracyRadius != 30 {
		t.Errorf("sent %+v, want a map point 51.5007,-0.1246 (±30 m) to %d", got, peer.ID)
	}

	c := s.u.Cursor()
	s.u.Send(t, portal, &event.MessageEventContent{MsgType: event.MsgLocation, Body: "Somewhere", GeoURI: "geo:north"})
	s.u.WaitFor(t, portal, c, "a notice about the unreadable location", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Type == event.EventMessage && m.MsgType == event.MsgNotice && strings.Contains(m.Body, "location could not be sent")
	})
}
