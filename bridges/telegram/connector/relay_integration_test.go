//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestRelayThroughBotLogin: a bot login, admin of a supergroup, is made its room's relay and
// carries a message of a Matrix user who has no Telegram login, named after them, into it.
func TestRelayThroughBotLogin(t *testing.T) {
	token := "77" + newPhone() + ":relay"
	bot := net.AddBot("Relay"+newPhone(), token)
	owner := stack.NewUser(t, "tgrelay")
	room := managementRoom(t, owner)
	ask(t, owner, room, "login bot", "Bot token", "bot token")
	command(t, owner, room, token, "Successfully logged in as")
	ada := net.AddUser("Ada", "", "", newPhone())
	group := net.AddSupergroup("Open house", "", ada, bot)
	net.MakeChannelAdmin(group, bot) // room admins (power 50) may set the relay
	ctx := context.Background()

	c := owner.Cursor()
	if _, err := net.DeliverToChannel(ctx, group, ada, "anyone here?"); err != nil {
		t.Fatal(err)
	}
	portal := owner.WaitInvite(t, c, "the supergroup's portal", nil)
	owner.Join(t, portal)
	owner.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(bridge.GhostMXID(itoa(ada.ID)), "anyone here?"))
	command(t, owner, portal, "!tg set-relay", "will now be relayed through")

	guest := stack.NewUser(t, "tgguest")
	if _, err := owner.Client.InviteUser(ctx, portal, &mautrix.ReqInviteUser{UserID: guest.UserID}); err != nil {
		t.Fatal(err)
	}
	gc := guest.Cursor()
	guest.WaitInvite(t, gc, "the invite", nil)
	guest.Join(t, portal)
	guest.WaitFor(t, portal, gc, "their own join", matrixtest.Membership(guest.UserID, event.MembershipJoin))
	guest.SendText(t, portal, "hello from Matrix")
	got := sentOf(t, "message")
	if got.From != bot.ID || got.ToChannel != group.ID || !strings.Contains(got.Text, "hello from Matrix") || !strings.Contains(got.Text, guest.UserID.Localpart()) {
		t.Errorf("relayed %+v, want the text from bot %d in %d, naming %s", got, bot.ID, group.ID, guest.UserID)
	}
}
