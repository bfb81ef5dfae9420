//go:build integration

package connector_test

import (
	"context"
	"testing"

	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestKilledBridgeLosesNothing runs the bridge as its built program, kills it (SIGKILL) while
// it is connected, lets a Telegram user edit a message and write while it is down, starts it
// again, and checks that both reach the room: the session and the update state come back from
// the database, and Telegram's difference brings what was missed.
func TestKilledBridgeLosesNothing(t *testing.T) {
	bot := binary.BotMXID()
	ghostOf := func(userID int64) id.UserID { return id.UserID("@tgproc_" + itoa(userID) + ":localhost") }
	phone := newPhone()
	acct := net.AddAccount("Kai", phone, "97531")
	u := stack.NewUser(t, "tgkill")
	c := u.Cursor()
	room := u.CreateDM(t, bot)
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a Telegram bridge bot"))
	askBot(t, u, bot, room, "login phone", "Phone number", "Enter your Telegram phone number")
	askBot(t, u, bot, room, "+"+phone, "Login code", "Enter the login code")
	commandTo(t, u, bot, room, "97531", "Successfully logged in as Kai")

	peer := net.AddUser("Lea", "", "", newPhone())
	ctx := context.Background()
	c = u.Cursor()
	helloID, err := net.Deliver(ctx, acct, peer, "hello before the crash")
	if err != nil {
		t.Fatal(err)
	}
	portal := u.WaitInvite(t, c, "the chat with Lea", nil)
	u.Join(t, portal)
	ghost := ghostOf(peer.ID)
	hello := u.WaitFor(t, portal, c, "Lea's hello", matrixtest.MessageFrom(ghost, "hello before the crash"))

	if err = binary.Kill(); err != nil {
		t.Fatal(err)
	}
	<-binary.Exited()
	c = u.Cursor()
	if err = net.DeliverEdit(ctx, acct, peer, helloID, "hello, edited during the crash"); err != nil {
		t.Fatal(err)
	}
	if _, err = net.Deliver(ctx, acct, peer, "written during the crash"); err != nil {
		t.Fatal(err)
	}
	if err = binary.Start(); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, portal, c, "the edit made while the bridge was dead", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == ghost && m.NewContent != nil && m.NewContent.Body == "hello, edited during the crash" && m.RelatesTo.GetReplaceID() == hello.ID
	})
	u.WaitFor(t, portal, c, "the message written while the bridge was dead", matrixtest.MessageFrom(ghost, "written during the crash"))
	u.SendText(t, portal, "welcome back")
	if got := sentOf(t, "message"); got.From != acct.User.ID || got.To != peer.ID || got.Text != "welcome back" {
		t.Errorf("sent %+v, want the answer from %d to %d", got, acct.User.ID, peer.ID)
	}
}
