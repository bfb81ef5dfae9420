//go:build integration

package connector_test

// Integration tests of the people hub: the hub runs in-process against a real Synapse and
// PostgreSQL (or SQLite), next to two Telegram bridges run as their built binary, "telegram"
// and "telegram2", each on its own fake Telegram network (tgfake, in this process) so that
// linking by phone number across two networks is tested; a third run of the binary,
// "tgoff", has its provisioning API turned off. The WhatsApp bridge runs in-process on its
// fake at the whatsmeow seam (wafake), since its binary has no fake to talk to. The hub
// reaches all of them only through their provisioning APIs, as it reaches any bridge of the
// suite.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/people/connector"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	waconnector "github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

var (
	stack *bridgetest.Stack
	hub   *bridgetest.Bridge
	conn  *connector.Connector
	// tg1 and tg2 are the two Telegram bridges, on the fake networks net1 and net2.
	tg1, tg2   *bridgetest.ProcessBridge
	net1, net2 *tgfake.Network
	// wa is the WhatsApp bridge, in-process on the fake network waNet.
	wa     *bridgetest.Bridge
	waNet  *wafake.Network
	phones atomic.Int64
)

// wrongSecret is the secret of the hub's "badsecret" entry, which points at telegram2.
const wrongSecret = "not-the-secret-of-telegram2"

func TestMain(m *testing.M) {
	os.Exit(bridgetest.Main(m, "people", func(ctx context.Context, s *bridgetest.Stack) error {
		stack = s
		var err error
		if net1, err = tgfake.Start(context.Background()); err != nil {
			return err
		}
		if net2, err = tgfake.Start(context.Background()); err != nil {
			return err
		}
		bin, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/bridges/telegram/cmd/mxbridges-telegram", s.Dir)
		if err != nil {
			return err
		}
		telegram := func(name string, n *tgfake.Network, extra map[string]any) (*bridgetest.ProcessBridge, error) {
			dcs, keys := n.Servers()
			cfg := map[string]any{
				"network.api_id":              12345,
				"network.api_hash":            "0123456789abcdef0123456789abcdef",
				"network.servers.dcs":         dcs,
				"network.servers.public_keys": keys,
			}
			for k, v := range extra {
				cfg[k] = v
			}
			return s.AddProcess(ctx, bridgetest.BridgeOptions{Name: name, Binary: bin, Extra: cfg})
		}
		if tg1, err = telegram("telegram", net1, nil); err != nil {
			return err
		}
		if tg2, err = telegram("telegram2", net2, nil); err != nil {
			return err
		}
		off, err := telegram("tgoff", net1, map[string]any{"provisioning.shared_secret": "disable"})
		if err != nil {
			return err
		}
		waNet = wafake.New()
		waConn := waconnector.New()
		waConn.NewClient = waNet.NewClient
		if wa, err = s.AddBridge(ctx, bridgetest.BridgeOptions{Name: "whatsapp", Connector: waConn}); err != nil {
			return err
		}
		conn = connector.New()
		hub, err = s.AddBridge(ctx, bridgetest.BridgeOptions{Name: "people", Connector: conn, Extra: map[string]any{
			"network.auto_link": true,
			"network.bridges": []map[string]any{
				{"network": "telegram", "url": tg1.AppserviceURL(), "shared_secret": tg1.ProvisioningSecret()},
				{"network": "telegram2", "url": tg2.AppserviceURL(), "shared_secret": tg2.ProvisioningSecret()},
				{"network": "badsecret", "url": tg2.AppserviceURL(), "shared_secret": wrongSecret},
				{"network": "tgoff", "url": off.AppserviceURL(), "shared_secret": "disable"},
				{"network": "whatsapp", "url": wa.AppserviceURL(), "shared_secret": wa.ProvisioningSecret()},
			},
		}})
		if err != nil {
			return err
		}
		s.AfterTests(func() error {
			for _, n := range []*tgfake.Network{net1, net2} {
				for what, v := range n.Secrets() {
					s.AddSecret(what, v)
				}
			}
			s.AddSecret("provisioning secret of telegram", tg1.ProvisioningSecret())
			s.AddSecret("provisioning secret of telegram2", tg2.ProvisioningSecret())
			s.AddSecret("provisioning secret of whatsapp", wa.ProvisioningSecret())
			return nil
		})
		return nil
	}))
}

func newPhone() string { return fmt.Sprintf("1555%07d", 1000000+phones.Add(1)) }

// ask sends a command to bot in room and returns the body of the bot's next message that
// contains every string of want.
func ask(t *testing.T, u *matrixtest.User, bot id.UserID, room id.RoomID, text string, want ...string) string {
	t.Helper()
	c := u.Cursor()
	u.SendText(t, room, text)
	evt := u.WaitFor(t, room, c, "the answer to "+text, matrixtest.MessageFrom(bot, want...))
	return evt.Content.AsMessage().Body
}

// hubRoom opens the user's management room with the hub's bot.
func hubRoom(t *testing.T, u *matrixtest.User) id.RoomID {
	t.Helper()
	c := u.Cursor()
	room := u.CreateDM(t, hub.BotMXID())
	u.WaitFor(t, room, c, "the hub bot's welcome", matrixtest.MessageFrom(hub.BotMXID(), "Hello, I'm a People bridge bot"))
	return room
}

// loginTelegram logs u in to a new account on a Telegram bridge and waits until the login is
// connected (its contact list can be read only then).
func loginTelegram(t *testing.T, u *matrixtest.User, tg *bridgetest.ProcessBridge, acct *tgfake.Account) {
	t.Helper()
	bot := tg.BotMXID()
	c := u.Cursor()
	room := u.CreateDM(t, bot)
	u.WaitFor(t, room, c, "the Telegram bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a Telegram bridge bot"))
	prompt := func(text, field string, want ...string) {
		c := u.Cursor()
		u.SendText(t, room, text)
		u.WaitFor(t, room, c, "the answer to "+text, matrixtest.MessageFrom(bot, want...))
		u.WaitFor(t, room, c, "the prompt for the "+field, matrixtest.MessageFrom(bot, "Please enter your "+field))
	}
	prompt("login phone", "Phone number", "Enter your Telegram phone number")
	prompt("+"+acct.User.Phone, "Login code", "Enter the login code")
	ask(t, u, bot, room, acct.Code, "Successfully logged in as")
	if err := waitConnected(tg, u.UserID); err != nil {
		t.Fatal(err)
	}
}

// waitConnected polls the bridge's whoami until the user's first login is CONNECTED.
func waitConnected(tg *bridgetest.ProcessBridge, user id.UserID) error {
	endpoint := tg.AppserviceURL() + "/_matrix/provision/v3/whoami?" + url.Values{"user_id": {user.String()}}.Encode()
	deadline := time.Now().Add(time.Minute)
	last := "no answer"
	for time.Now().Before(deadline) {
		req, err := http.NewRequest(http.MethodGet, endpoint, nil)
		if err != nil {
			return fmt.Errorf("build whoami request: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tg.ProvisioningSecret())
		if resp, err := http.DefaultClient.Do(req); err != nil {
			last = err.Error()
		} else {
			var who struct {
				Logins []struct {
					State struct {
						StateEvent string `json:"state_event"`
					} `json:"state"`
				} `json:"logins"`
			}
			err = json.NewDecoder(resp.Body).Decode(&who)
			_ = resp.Body.Close()
			if err == nil && len(who.Logins) > 0 {
				if last = who.Logins[0].State.StateEvent; last == "CONNECTED" {
					return nil
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("wait for the Telegram login of %s to connect on %s: still %s", user, tg.Name, last)
}

// has fails the test unless body contains every string of want.
func has(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, body)
		}
	}
}
