package connector

import (
	"strconv"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
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
	name, day := tgconv.ForwardOrigin(&header, tc.peerName, m.Date)
	tgconv.WithForward(conv.Parts[0].Content, name, day)
}
