//go:build integration

package loadtest_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

var (
	stack  *bridgetest.Stack
	bridge *bridgetest.Bridge
	netw   *fakenet.Network
)

func TestMain(m *testing.M) {
	os.Exit(bridgetest.Main(m, "loadtest", func(ctx context.Context, s *bridgetest.Stack) error {
		stack, netw = s, fakenet.New()
		var err error
		bridge, err = s.AddBridge(ctx, bridgetest.BridgeOptions{Name: "fakeload", Connector: netw.Connector()})
		return err
	}))
}

// fakenetTarget is the harness's view of the test-only fakenet bridge: the model for the
// targets of the product bridges.
type fakenetTarget struct {
	t        *testing.T
	user     *matrixtest.User
	login    string
	next     atomic.Int64
	arrivals chan loadtest.Arrival
}

func newFakenetTarget(t *testing.T, user *matrixtest.User, login string) *fakenetTarget {
	ft := &fakenetTarget{t: t, user: user, login: login, arrivals: make(chan loadtest.Arrival, 1024)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// The outbox is read at once, so the time taken here is the time the network got it.
	go func() {
		for {
			select {
			case s := <-netw.Outbox():
				ft.arrivals <- loadtest.Arrival{Body: s.Text, At: time.Now()}
			case <-ctx.Done():
				return
			}
		}
	}()
	return ft
}

func (ft *fakenetTarget) Name() string { return "fakenet" }

func (ft *fakenetTarget) Arrivals() <-chan loadtest.Arrival { return ft.arrivals }

func (ft *fakenetTarget) Chats(ctx context.Context, n int) ([]loadtest.Chat, error) {
	chats := make([]loadtest.Chat, n)
	for i := range chats {
		contact := fmt.Sprintf("contact%d", ft.next.Add(1))
		c := ft.user.Cursor()
		if _, err := netw.Deliver(ctx, ft.login, contact, "hello from "+contact); err != nil {
			return nil, err
		}
		room := ft.user.WaitInvite(ft.t, c, "the portal of "+contact, nil)
		ft.user.Join(ft.t, room)
		chats[i] = fakenetChat{login: ft.login, contact: contact, room: room}
	}
	return chats, nil
}

type fakenetChat struct {
	login, contact string
	room           id.RoomID
}

func (c fakenetChat) Room() id.RoomID { return c.room }

// Emit delivers body with an ID made from it, so that the harness's retries after a failed
// delivery are the same message, as a network's redeliveries are.
func (c fakenetChat) Emit(ctx context.Context, body string) error {
	_, err := netw.DeliverID(ctx, c.login, c.contact, "fm-"+body, body)
	return err
}

// TestBenchFakenet proves the harness on the test-only network: every message of every path
// arrives once, and the figures are taken (at Small size in `make test`).
func TestBenchFakenet(t *testing.T) {
	user, peer := stack.NewUser(t, "bench"), stack.NewUser(t, "peer")
	loginFakenet(t, user, "benchacct")
	r := loadtest.Run(t, loadtest.Options{Target: newFakenetTarget(t, user, "benchacct"), User: user.Client, Peer: peer.Client})
	loadtest.CheckMeasured(t, r)
}

// loginFakenet logs user in to the fake network through the bot, as a person would.
func loginFakenet(t *testing.T, user *matrixtest.User, account string) {
	t.Helper()
	netw.AddAccount(account, "pw-"+account)
	c := user.Cursor()
	room := user.CreateDM(t, bridge.BotMXID())
	user.WaitFor(t, room, c, "the bot to join", matrixtest.Membership(bridge.BotMXID(), event.MembershipJoin))
	for _, step := range []struct{ send, want string }{
		{"login password", "Please enter your Username"},
		{account, "Please enter your Password"},
		{"pw-" + account, "Logged in as " + account},
	} {
		c := user.Cursor()
		user.SendText(t, room, step.send)
		user.WaitFor(t, room, c, "the bot's reply to "+step.send, matrixtest.MessageFrom(bridge.BotMXID(), step.want))
	}
}
