package connector

import (
	"strings"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/markup"
)

// users resolves mentions for the formatting converters of this login.
type users struct{ tc *Client }

var _ markup.UserResolver = users{}

func (u users) MatrixUser(userID int64) (id.UserID, string, bool) {
	if ids.LoginID(userID) == u.tc.login.ID {
		return u.tc.login.UserMXID, "", true
	}
	name := ""
	if user, ok := u.tc.user(userID); ok {
		name = *userInfo(user).Name
	}
	return u.tc.conn.Bridge.Matrix.GhostIntent(ids.UserID(userID)).GetMXID(), name, true
}

func (u users) MatrixUserByUsername(username string) (id.UserID, string, bool) {
	u.tc.mu.Lock()
	var found *tg.User
	for _, user := range u.tc.users {
		if strings.EqualFold(user.Username, username) {
			found = user
			break
		}
	}
	u.tc.mu.Unlock()
	if found == nil {
		return "", "", false
	}
	return u.MatrixUser(found.ID)
}

func (u users) TelegramUser(mxid id.UserID) (int64, bool) {
	if mxid == u.tc.login.UserMXID {
		n, err := ids.ParseUserID(networkidOfLogin(u.tc))
		return n, err == nil
	}
	ghost, ok := u.tc.conn.Bridge.Matrix.ParseGhostMXID(mxid)
	if !ok {
		return 0, false
	}
	n, err := ids.ParseUserID(ghost)
	return n, err == nil
}

// textToMatrix renders a Telegram message's text and entities as Matrix content.
func (tc *Client) textToMatrix(text string, entities []tg.MessageEntityClass) *event.MessageEventContent {
	content := &event.MessageEventContent{MsgType: event.MsgText, Body: text}
	html, changed, mentions := markup.ToHTML(text, entities, users{tc})
	if changed {
		content.Format, content.FormattedBody = event.FormatHTML, html
	}
	content.Mentions = &event.Mentions{UserIDs: mentions}
	return content
}

// textToTelegram renders Matrix content as Telegram text and entities; mentions of Telegram
// users carry the access hashes Telegram needs.
func (tc *Client) textToTelegram(content *event.MessageEventContent) (string, []tg.MessageEntityClass) {
	if content.Format != event.FormatHTML || content.FormattedBody == "" {
		return content.Body, nil
	}
	text, entities := markup.FromHTML(content.FormattedBody, users{tc})
	for i, e := range entities {
		m, ok := e.(*tg.MessageEntityMentionName)
		if !ok {
			continue
		}
		input := &tg.InputUser{UserID: m.UserID}
		if u, ok := tc.user(m.UserID); ok {
			input.AccessHash = u.AccessHash
		}
		entities[i] = &tg.InputMessageEntityMentionName{Offset: m.Offset, Length: m.Length, UserID: input}
	}
	return text, entities
}
