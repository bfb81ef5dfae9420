package tgconv

import (
	"fmt"
	"strings"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

// RichMedia converts the media that carries no file — locations, venues, live
// locations, shared contacts, dice, and as readable text games, invoices, stories and
// giveaways — into Matrix content. It returns nil for other media.
func RichMedia(media tg.MessageMediaClass) *event.MessageEventContent {
	switch m := media.(type) {
	case *tg.MessageMediaGeo:
		return locationContent(m.Geo, "Location", "")
	case *tg.MessageMediaGeoLive:
		return locationContent(m.Geo, "Live location", " (the bridge shows where it started; open Telegram to follow it)")
	case *tg.MessageMediaVenue:
		title := strings.TrimSpace(strings.Join(nonEmpty(m.Title, m.Address), ", "))
		if title == "" {
			title = "Venue"
		}
		return locationContent(m.Geo, title, "")
	case *tg.MessageMediaContact:
		name := strings.Join(nonEmpty(m.FirstName, m.LastName), " ")
		parts := nonEmpty(name, m.PhoneNumber)
		if len(parts) == 0 {
			parts = []string{"(no name or number)"}
		}
		return &event.MessageEventContent{MsgType: event.MsgText, Body: "Shared contact: " + strings.Join(parts, ", ")}
	case *tg.MessageMediaDice:
		emoji := m.Emoticon
		if emoji == "" {
			emoji = "🎲"
		}
		return &event.MessageEventContent{MsgType: event.MsgText, Body: fmt.Sprintf("%s rolled %d", emoji, m.Value)}
	case *tg.MessageMediaGame:
		return fallbackNotice("🎮 Game", m.Game.Title, m.Game.Description, "open Telegram to play it")
	case *tg.MessageMediaInvoice:
		return fallbackNotice("🧾 Invoice", m.Title, m.Description, "open Telegram to pay it")
	case *tg.MessageMediaStory:
		return fallbackNotice("📖 Story", "", "", "open Telegram to see it")
	case *tg.MessageMediaGiveaway:
		return fallbackNotice("🎁 Giveaway", "", "", "open Telegram to take part")
	case *tg.MessageMediaGiveawayResults:
		return fallbackNotice("🎁 Giveaway results", "", "", "open Telegram to see them")
	}
	return nil
}

// fallbackNotice shows media Matrix has no form for: what it is, its title and description
// when it has them, and where to go for the rest.
func fallbackNotice(kind, title, description, hint string) *event.MessageEventContent {
	body := kind
	if parts := nonEmpty(title, description); len(parts) > 0 {
		body += ": " + strings.Join(parts, " — ")
	}
	return &event.MessageEventContent{MsgType: event.MsgNotice, Body: body + " (" + hint + ")"}
}

// locationContent is an m.location event for a point; a point Telegram left empty becomes a
// notice, since a location without coordinates cannot be shown.
func locationContent(geo tg.GeoPointClass, title, note string) *event.MessageEventContent {
	point, ok := geo.(*tg.GeoPoint)
	if !ok {
		return &event.MessageEventContent{MsgType: event.MsgNotice, Body: title + ": Telegram did not include the coordinates."}
	}
	uri := fmt.Sprintf("geo:%.6f,%.6f", point.Lat, point.Long)
	if radius, ok := point.GetAccuracyRadius(); ok && radius > 0 {
		uri += fmt.Sprintf(";u=%d", radius)
	}
	return &event.MessageEventContent{
		MsgType: event.MsgLocation,
		Body:    fmt.Sprintf("%s: %.6f, %.6f%s", title, point.Lat, point.Long, note),
		GeoURI:  uri,
	}
}

// nonEmpty returns the non-blank values, trimmed.
func nonEmpty(values ...string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
