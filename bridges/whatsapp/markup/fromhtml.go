package markup

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/format"
	"maunium.net/go/mautrix/id"
)

// PillFunc turns a Matrix user pill into WhatsApp mention text (e.g. "@4915112345678") and the
// JID to list as mentioned. ok=false renders the pill as its display name.
type PillFunc func(userID id.UserID, displayname string) (text, jid string, ok bool)

// Converted is a Matrix message body rendered as WhatsApp text.
type Converted struct {
	Text string
	// MentionedJIDs are the JIDs mentioned in Text, in order of first appearance.
	MentionedJIDs []string
}

const mentionsKey = "whatsapp_mentions"

// FromMatrix renders the body of a Matrix message as WhatsApp text: formatted_body when it is
// HTML, else the plain body.
func FromMatrix(ctx context.Context, content *event.MessageEventContent, pill PillFunc) Converted {
	if content.Format != event.FormatHTML || content.FormattedBody == "" {
		return Converted{Text: content.Body}
	}
	return FromHTML(ctx, content.FormattedBody, pill)
}

// FromHTML renders Matrix HTML as WhatsApp text.
func FromHTML(ctx context.Context, htmlBody string, pill PillFunc) Converted {
	mentions := &[]string{}
	parser := &format.HTMLParser{
		TabsToSpaces:           4,
		Newline:                "\n",
		HorizontalLine:         "\n---\n",
		BoldConverter:          wrap("*"),
		ItalicConverter:        wrap("_"),
		StrikethroughConverter: wrap("~"),
		MonospaceConverter:     wrap("`"),
		MonospaceBlockConverter: func(code, _ string, _ format.Context) string {
			return "```" + strings.TrimSuffix(code, "\n") + "```"
		},
		LinkConverter: func(text, href string, _ format.Context) string {
			if text == href || strings.TrimPrefix(href, "mailto:") == text {
				return text
			}
			return fmt.Sprintf("%s (%s)", text, href)
		},
		PillConverter: func(displayname, mxid, eventID string, fctx format.Context) string {
			if mxid != "" && mxid[0] == '@' && pill != nil {
				if text, jid, ok := pill(id.UserID(mxid), displayname); ok {
					list := fctx.ReturnData[mentionsKey].(*[]string)
					if !slices.Contains(*list, jid) {
						*list = append(*list, jid)
					}
					return text
				}
			}
			return format.DefaultPillConverter(displayname, mxid, eventID, fctx)
		},
	}
	fctx := format.NewContext(ctx)
	fctx.ReturnData[mentionsKey] = mentions
	text := parser.Parse(htmlBody, fctx)
	return Converted{Text: text, MentionedJIDs: *mentions}
}

// wrap returns a converter that surrounds non-blank text with a WhatsApp marker, keeping the
// surrounding spaces outside (WhatsApp does not style "* x *").
func wrap(marker string) format.TextConverter {
	return func(text string, _ format.Context) string {
		trimmed := strings.TrimSpace(text)
		if trimmed == "" {
			return text
		}
		lead := text[:strings.Index(text, trimmed)]
		trail := text[len(lead)+len(trimmed):]
		return lead + marker + trimmed + marker + trail
	}
}
