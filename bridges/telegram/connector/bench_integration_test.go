//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// underLoad is what the load target needs of a Telegram bridge under test, in-process
// (bridge) or its binary (binary): its bot, to log in, and its provisioning API, to see the
// login connected.
type underLoad interface {
	BotMXID() id.UserID
	AppserviceURL() string
	ProvisioningSecret() string
}

// tgTarget is the load harness's view of a Telegram bridge: one Matrix user logged in (through
// the bot) to one fake Telegram account, whose private chats with new contacts are the chats.
type tgTarget struct {
	t        *testing.T
	name     string
	via      underLoad
	user     *matrixtest.User
	acct     *tgfake.Account
	next     atomic.Int64
	arrivals chan loadtest.Arrival
}

// newTarget logs a new Matrix user in to a new Telegram account through b's bot and starts
// reading what the fake receives from that account. The reader stops when t ends, so that
// later tests find their own sent messages in the fake's record.
func newTarget(t *testing.T, name string, b underLoad) *tgTarget {
	t.Helper()
	phone := newPhone()
	acct := net.AddAccount("Load "+name, phone, "86420")
	u := stack.NewUser(t, "tgload")
	bot := b.BotMXID()
	c := u.Cursor()
	room := u.CreateDM(t, bot)
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a Telegram bridge bot"))
	askBot(t, u, bot, room, "login phone", "Phone number", "Enter your Telegram phone number")
	askBot(t, u, bot, room, "+"+phone, "Login code", "Enter the login code")
	commandTo(t, u, bot, room, "86420", "Successfully logged in as Load "+name)
	if err := loadtest.WaitConnected(context.Background(), b.AppserviceURL(), b.ProvisioningSecret(), u.UserID); err != nil {
		t.Fatal(err)
	}
	tt := &tgTarget{t: t, name: name, via: b, user: u, acct: acct, arrivals: make(chan loadtest.Arrival, 4096)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go tt.read(ctx)
	return tt
}

// read passes on every text the fake receives from the account, stamped when it is taken
// from the fake's record (which the fake fills as it answers the send).
func (tt *tgTarget) read(ctx context.Context) {
	for {
		s, err := net.NextSent(ctx)
		if err != nil {
			return
		}
		if s.Kind != "message" || s.From != tt.acct.User.ID {
			continue
		}
		select {
		case tt.arrivals <- loadtest.Arrival{Body: s.Text, At: time.Now()}:
		case <-ctx.Done():
			return
		}
	}
}

func (tt *tgTarget) Name() string { return tt.name }

func (tt *tgTarget) Arrivals() <-chan loadtest.Arrival { return tt.arrivals }

// Chats opens n private chats: a new contact writes once, the portal's invite comes, the user
// joins.
func (tt *tgTarget) Chats(ctx context.Context, n int) ([]loadtest.Chat, error) {
	chats := make([]loadtest.Chat, n)
	for i := range chats {
		k := tt.next.Add(1)
		peer := net.AddUser(fmt.Sprintf("Contact%d", k), "", "", newPhone())
		c := tt.user.Cursor()
		if _, err := net.Deliver(ctx, tt.acct, peer, fmt.Sprintf("hello from contact %d", k)); err != nil {
			return nil, fmt.Errorf("open chat %d: %w", k, err)
		}
		room := tt.user.WaitInvite(tt.t, c, fmt.Sprintf("the chat with contact %d", k), nil)
		tt.user.Join(tt.t, room)
		chats[i] = tgChat{acct: tt.acct, peer: peer, room: room}
	}
	return chats, nil
}

type tgChat struct {
	acct *tgfake.Account
	peer *tg.User
	room id.RoomID
}

func (c tgChat) Room() id.RoomID { return c.room }

// Emit makes the contact write body; the fake keeps it for the difference when the bridge is
// not connected, as Telegram does.
func (c tgChat) Emit(ctx context.Context, body string) error {
	_, err := net.Deliver(ctx, c.acct, c.peer, body)
	return err
}

// TestBenchTelegram measures the in-process bridge both ways next to Synapse alone (at Small
// size in `make test`; the bench knobs size it up) and checks that every figure was taken:
// never how fast.
func TestBenchTelegram(t *testing.T) {
	target := newTarget(t, "telegram", bridge)
	peer := stack.NewUser(t, "tgpeer")
	r := loadtest.Run(t, loadtest.Options{Target: target, User: target.user.Client, Peer: peer.Client})
	loadtest.CheckMeasured(t, r)
}
