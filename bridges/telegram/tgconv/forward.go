package tgconv

import (
	"html"
	"strings"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

// ForwardOrigin names who a forwarded message came from (resolve names peers the bridge knows)
// and, when the original was sent on another day than the forward (date), that day.
func ForwardOrigin(h *tg.MessageFwdHeader, resolve func(tg.PeerClass) string, date int) (name, day string) {
	if from, ok := h.GetFromID(); ok && from != nil {
		name = resolve(from)
		if name == "" {
			name = h.FromName
		}
		if _, channel := from.(*tg.PeerChannel); channel {
			if name == "" {
				name = "a channel"
			}
			if author, ok := h.GetPostAuthor(); ok && strings.TrimSpace(author) != "" {
				name += " (" + strings.TrimSpace(author) + ")"
			}
		}
		if name == "" {
			name = "a Telegram user"
		}
	} else if name = strings.TrimSpace(h.FromName); name == "" {
		name = "an unknown sender"
	}
	orig, fwd := time.Unix(int64(h.Date), 0).UTC(), time.Unix(int64(date), 0).UTC()
	if h.Date > 0 && orig.Format(time.DateOnly) != fwd.Format(time.DateOnly) {
		day = orig.Format("2 Jan 2006")
	}
	return name, day
}

// WithForward adds the line "Forwarded from <name>" (and the original day) before a message's
// text, or makes it the caption of media that has none. Stickers have no visible text and
// stay as they are.
func WithForward(content *event.MessageEventContent, name, day string) {
	if content == nil || content.MsgType == "" {
		return
	}
	suffix := ""
	if day != "" {
		suffix = " (sent " + day + ")"
	}
	plain := "Forwarded from " + name + suffix
	rich := "Forwarded from <b>" + html.EscapeString(name) + "</b>" + html.EscapeString(suffix)
	if content.Body == "" || (content.FileName != "" && content.Body == content.FileName) {
		content.Body, content.Format, content.FormattedBody = plain, event.FormatHTML, rich
		return
	}
	body := content.FormattedBody
	if content.Format != event.FormatHTML || body == "" {
		body = strings.ReplaceAll(html.EscapeString(content.Body), "\n", "<br>")
	}
	content.Body = plain + ":\n" + content.Body
	content.Format, content.FormattedBody = event.FormatHTML, rich+":<br>"+body
}
