//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/connector"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestLoginWithCode: phone number, then the code Telegram sent; the login connects.
func TestLoginWithCode(t *testing.T) {
	s := login(t, "Tom")
	command(t, s.u, s.room, "list-logins", itoa(s.acct.User.ID))
}

func TestLoginWrongCode(t *testing.T) {
	phone := newPhone()
	net.AddAccount("Wren", phone, "13579")
	u := stack.NewUser(t, "tgwrong")
	room := managementRoom(t, u)
	ask(t, u, room, "login phone", "Phone number", "Enter your Telegram phone number")
	ask(t, u, room, "+"+phone, "Login code", "Enter the login code")
	command(t, u, room, "11111", "That code is wrong")
	c := u.Cursor()
	u.SendText(t, room, "list-logins")
	u.WaitFor(t, room, c, "no logins", matrixtest.MessageFrom(bridge.BotMXID(), "You're not logged in"))
}

func TestLoginUnknownPhone(t *testing.T) {
	u := stack.NewUser(t, "tgphone")
	room := managementRoom(t, u)
	ask(t, u, room, "login phone", "Phone number", "Enter your Telegram phone number")
	command(t, u, room, "+19990000000", "does not accept that phone number")
}

// TestLoginWithoutCredentials: a bridge whose admin has not set api_id/api_hash says so.
func TestLoginWithoutCredentials(t *testing.T) {
	conn := bridge.Bridge.Network.(*connector.Connector)
	id, hash := conn.Config.APIID, conn.Config.APIHash
	conn.Config.APIID, conn.Config.APIHash = 0, ""
	defer func() { conn.Config.APIID, conn.Config.APIHash = id, hash }()
	u := stack.NewUser(t, "tgnocreds")
	room := managementRoom(t, u)
	command(t, u, room, "login phone", "no Telegram API credentials", "api_id")
}

// TestLoginWithTwoStepPassword: after the code, an account with two-step verification asks for
// the password, which the fake checks with real SRP; a wrong one is refused.
func TestLoginWithTwoStepPassword(t *testing.T) {
	phone := newPhone()
	acct := net.AddAccount("Xena", phone, "97531")
	acct.Password = "correct horse battery staple"
	u := stack.NewUser(t, "tg2fa")
	room := managementRoom(t, u)

	ask(t, u, room, "login phone", "Phone number", "Enter your Telegram phone number")
	ask(t, u, room, "+"+phone, "Login code", "Enter the login code")
	ask(t, u, room, "97531", "Password", "two-step verification", "password")
	command(t, u, room, "Tr0ub4dor&3", "password is wrong")

	ask(t, u, room, "login phone", "Phone number", "Enter your Telegram phone number")
	ask(t, u, room, "+"+phone, "Login code", "Enter the login code")
	ask(t, u, room, "97531", "Password", "two-step verification")
	command(t, u, room, "correct horse battery staple", "Successfully logged in as Xena")
	waitState(t, acct, status.StateConnected)
}

func TestLoginListsFlows(t *testing.T) {
	u := stack.NewUser(t, "tgflows")
	room := managementRoom(t, u)
	command(t, u, room, "login", "`phone`", "`qr`", "`bot`")
}

// TestLoginWithQR: the bot shows a tg://login QR code, refreshes it when it expires, and a
// logged-in app scanning it (here with two-step verification) completes the login.
func TestLoginWithQR(t *testing.T) {
	net.QRLifetime = 2 * time.Second
	defer func() { net.QRLifetime = 0 }()
	acct := net.AddAccount("Quincy", newPhone(), "unused")
	acct.Password = "qr-password"
	u := stack.NewUser(t, "tgqr")
	room := managementRoom(t, u)
	c := u.Cursor()
	u.SendText(t, room, "login qr")
	first := u.WaitFor(t, room, c, "the QR code", matrixtest.MessageFrom(bridge.BotMXID(), "tg://login?token="))
	if first.Content.AsMessage().MsgType != event.MsgImage {
		t.Errorf("QR code sent as %s, want an image", first.Content.AsMessage().MsgType)
	}
	refreshed := u.WaitFor(t, room, c, "the refreshed QR code", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == bridge.BotMXID() && m.NewContent != nil && strings.HasPrefix(m.NewContent.Body, "tg://login?token=") &&
			m.NewContent.Body != first.Content.AsMessage().Body
	})
	c = u.Cursor()
	if err := net.ScanQR(context.Background(), refreshed.Content.AsMessage().NewContent.Body, acct); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "the password instruction", matrixtest.MessageFrom(bridge.BotMXID(), "two-step verification"))
	u.WaitFor(t, room, c, "the password prompt", matrixtest.MessageFrom(bridge.BotMXID(), "Please enter your Password"))
	command(t, u, room, "qr-password", "Successfully logged in as Quincy")
	waitState(t, acct, status.StateConnected)
}

func TestLoginWithBotToken(t *testing.T) {
	net.AddBot("Relay", "4242:secret")
	u := stack.NewUser(t, "tgbot")
	room := managementRoom(t, u)
	ask(t, u, room, "login bot", "Bot token", "bot token")
	command(t, u, room, "4242:wrong", "does not accept that bot token")
	ask(t, u, room, "login bot", "Bot token", "bot token")
	command(t, u, room, "4242:secret", "Successfully logged in as Relay")
}

// TestSeveralLoginsAndLogout: one Matrix user logs in to two Telegram accounts; both bridge
// their chats; logging one out ends its Telegram session and leaves the other working.
func TestSeveralLoginsAndLogout(t *testing.T) {
	first := login(t, "Nora")
	phone := newPhone()
	acct := net.AddAccount("Nick", phone, "13579")
	ask(t, first.u, first.room, "login phone", "Phone number", "Enter your Telegram phone number")
	ask(t, first.u, first.room, "+"+phone, "Login code", "Enter the login code")
	command(t, first.u, first.room, "13579", "Successfully logged in as Nick")
	waitState(t, acct, status.StateConnected)
	second := &session{u: first.u, room: first.room, acct: acct}
	firstID, secondID := itoa(first.acct.User.ID), itoa(acct.User.ID)
	command(t, first.u, first.room, "list-logins", firstID, secondID)
	chatWith(t, first, "Olga")
	chatWith(t, second, "Otis")

	command(t, first.u, first.room, "logout "+firstID, "Logged out")
	if net.LoggedIn(first.acct.User.ID) {
		t.Error("Telegram still has a session of the logged-out account")
	}
	c := first.u.Cursor()
	first.u.SendText(t, first.room, "list-logins")
	logins := first.u.WaitFor(t, first.room, c, "the remaining login", matrixtest.MessageFrom(bridge.BotMXID(), secondID))
	if strings.Contains(logins.Content.AsMessage().Body, firstID) {
		t.Errorf("list-logins still shows the logged-out account:\n%s", logins.Content.AsMessage().Body)
	}
	chatWith(t, second, "Pam")
}
