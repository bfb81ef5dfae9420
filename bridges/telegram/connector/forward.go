package connector

import (
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

// Forwarded Telegram messages keep their content and get a first line naming where they came
// from: "Forwarded from <name>:" (the name in bold in HTML), with the original day when the
// message was first sent on another day. Media without a caption get the line as caption.

// rememberChatTitles keeps the titles of the groups and channels an update mentions, to name the
// origin of forwarded messages.
func (tc *Client) rememberChatTitles(e tg.Entities) {
	for _, c := range e.Chats {
		tc.chatTitles.Store(peerKey(&tg.PeerChat{ChatID: c.ID}), c.Title)
	}
	for _, c := range e.Channels {
		tc.chatTitles.Store(peerKey(&tg.PeerChannel{ChannelID: c.ID}), c.Title)
	}
}

func peerKey(peer tg.PeerClass) string {
	switch p := peer.(type) {
	case *tg.PeerChat:
		return "chat:" + strconv.FormatInt(p.ChatID, 10)
	case *tg.PeerChannel:
		return "channel:" + strconv.FormatInt(p.ChannelID, 10)
	}
	return ""
}

// peerName is the name of a user, group or channel as the bridge last saw it, or "".
func (tc *Client) peerName(peer tg.PeerClass) string {
	if u, ok := peer.(*tg.PeerUser); ok {
		if user, ok := tc.user(u.UserID); ok {
			return *userInfo(user).Name
		}
		return ""
	}
	if title, ok := tc.chatTitles.Load(peerKey(peer)); ok {
		return title.(string)
	}
	return ""
}

// addForward puts the forward attribution of a message into its first part.
func (tc *Client) addForward(conv *bridgev2.ConvertedMessage, m *tg.Message) {
	header, ok := m.GetFwdFrom()
	if !ok || len(conv.Parts) == 0 {
		return
	}
	name, day := forwardOrigin(&header, tc.peerName, m.Date)
	withForward(conv.Parts[0].Content, name, day)
}

// forwardOrigin names who a forwarded message came from (resolve names peers the bridge knows)
// and, when the original was sent on another day than the forward (date), that day.
func forwardOrigin(h *tg.MessageFwdHeader, resolve func(tg.PeerClass) string, date int) (name, day string) {
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

// withForward adds the line "Forwarded from <name>" (and the original day) before a message's
// text, or makes it the caption of media that has none. Stickers have no visible text and
// stay as they are.
func withForward(content *event.MessageEventContent, name, day string) {
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
