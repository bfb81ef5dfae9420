//go:build integration

package connector_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestTelegramAndWhatsApp is the hub's case on two different networks: a person whose phone
// number is a Telegram contact and a WhatsApp contact of the user becomes one person on both,
// `find` names both networks, and `open` reaches the WhatsApp chat.
func TestTelegramAndWhatsApp(t *testing.T) {
	ctx := context.Background()
	zoePhone := newPhone()
	acct := net1.AddAccount("Ann", newPhone(), "11223")
	net1.AddContact(acct, net1.AddUser("Zoe", "", "zoe", zoePhone))
	u := stack.NewUser(t, "ann")
	loginTelegram(t, u, tg1, acct)
	cli := loginWhatsApp(t, u, "Ann")
	zoe := wafake.User(zoePhone)
	waNet.AddUser(zoe, "hey")
	if err := cli.Device.Contacts.PutContactName(ctx, zoe, "Zoe", "Zoe Zed"); err != nil {
		t.Fatalf("save Zoe in the WhatsApp contacts: %v", err)
	}

	room := hubRoom(t, u)
	bot := hub.BotMXID()
	body := ask(t, u, bot, room, "sync", "Read the contacts of")
	has(t, "sync", body, "telegram (1 new, 0 linked by phone number)", "whatsapp (0 new, 1 linked by phone number)",
		"You are not logged in on telegram2")
	d, err := conn.Store.Load(ctx, u.UserID)
	if err != nil {
		t.Fatalf("load people: %v", err)
	}
	p := onePerson(t, d, "+"+zoePhone)
	if got := p.Networks(); !slices.Equal(got, []string{"telegram", "whatsapp"}) {
		t.Fatalf("Zoe is on %q, want telegram and whatsapp", got)
	}
	if len(d.People) != 1 {
		t.Errorf("%d people, want Zoe alone", len(d.People))
	}
	has(t, "person zoe", ask(t, u, bot, room, "person zoe", "telegram: Zoe"), "whatsapp: Zoe Zed", "+"+zoePhone)
	has(t, "find", ask(t, u, bot, room, "find +"+zoePhone, "is on 2 networks"), "telegram: Zoe", "whatsapp: Zoe Zed",
		"Not asked (you are not logged in there): telegram2.")

	c := u.Cursor()
	body = ask(t, u, bot, room, "open zoe whatsapp", "Your whatsapp chat with")
	invited := u.WaitInvite(t, c, "the invite to the WhatsApp chat with Zoe", nil)
	has(t, "open", body, string(invited))
}

// loginWhatsApp links u's new WhatsApp account by QR code on the fake and waits until it is
// connected.
func loginWhatsApp(t *testing.T, u *matrixtest.User, name string) *wafake.Client {
	t.Helper()
	bot := wa.BotMXID()
	c := u.Cursor()
	room := u.CreateDM(t, bot)
	u.WaitFor(t, room, c, "the WhatsApp bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a WhatsApp bridge bot"))
	prev := waNet.Latest()
	c = u.Cursor()
	u.SendText(t, room, "login qr")
	cli, err := waNet.WaitLatest(prev, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	code := "2@qr-" + name
	if err = cli.ShowQR(code); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "the QR code", matrixtest.MessageFrom(bot, code))
	jid := wafake.User(newPhone())
	c = u.Cursor()
	if err = cli.Pair(context.Background(), jid, name); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "the WhatsApp login", matrixtest.MessageFrom(bot, "Successfully logged in as "+name))
	wa.WaitState(t, jid.User, status.StateConnected)
	return cli
}
