//go:build integration

package connector_test

// Integration tests of the Telegram bridge: the bridge runs in-process against a real Synapse
// and PostgreSQL, and talks real MTProto to gotd's in-process test cluster (tgfake), which it
// finds through network.servers in its config, as an admin would point it at a private cluster.

import (
	"context"
	"maps"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/connector"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
	"github.com/mxbridges/mxbridges/pkg/loopback"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

var (
	stack  *bridgetest.Stack
	bridge *bridgetest.Bridge
	// binary is the same bridge run as its built program, for tests that kill and restart it.
	binary *bridgetest.ProcessBridge
	// fleet is another run of the binary, for the memory and startup bench: its database is
	// seeded with many logins and portals, and it reports its logins' bridge states to states.
	fleet  *bridgetest.ProcessBridge
	states *loadtest.StateWatch
	net    *tgfake.Network
	phones atomic.Int64
	// metricsURL is where the in-process bridge serves its Prometheus metrics.
	metricsURL string
)

func TestMain(m *testing.M) {
	os.Exit(bridgetest.Main(m, "telegram", func(ctx context.Context, s *bridgetest.Stack) error {
		stack = s
		var err error
		if net, err = tgfake.Start(context.Background()); err != nil {
			return err
		}
		dcs, keys := net.Servers()
		extra := map[string]any{
			"network.api_id":                12345,
			"network.api_hash":              "0123456789abcdef0123456789abcdef",
			"network.servers.dcs":           dcs,
			"network.servers.public_keys":   keys,
			"backfill.enabled":              true,
			"backfill.max_initial_messages": 50,
			"backfill.max_catchup_messages": 50,
			"bridge.relay.enabled":          true,
			"bridge.relay.admin_only":       false,
		}
		port, err := loopback.FreePort()
		if err != nil {
			return err
		}
		metricsURL = loopback.URL(port) + "/metrics"
		inProcess := maps.Clone(extra)
		inProcess["network.metrics.listen"] = strings.TrimPrefix(loopback.URL(port), "http://")
		bridge, err = s.AddBridge(ctx, bridgetest.BridgeOptions{Name: "telegram", Connector: connector.New(), Extra: inProcess})
		if err != nil {
			return err
		}
		// The log scan after the tests also looks for what users typed to log in.
		s.AfterTests(func() error {
			for what, v := range net.Secrets() {
				s.AddSecret(what, v)
			}
			s.AddSecret("Telegram API hash", extra["network.api_hash"].(string))
			return nil
		})
		bin, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/bridges/telegram/cmd/mxbridges-telegram", s.Dir)
		if err != nil {
			return err
		}
		if binary, err = s.AddProcess(ctx, bridgetest.BridgeOptions{Name: "tgproc", Binary: bin, Extra: extra}); err != nil {
			return err
		}
		if states, err = loadtest.NewStateWatch(); err != nil {
			return err
		}
		fleetExtra := map[string]any{"homeserver.status_endpoint": states.URL()}
		for k, v := range extra {
			fleetExtra[k] = v
		}
		if os.Getenv(envProfile) != "" {
			fleetExtra["provisioning.debug_endpoints"] = true
		}
		fleet, err = s.AddProcess(ctx, bridgetest.BridgeOptions{Name: "tgbench", Binary: bin, Extra: fleetExtra})
		return err
	}))
}

func newPhone() string { return "1555" + itoa(1000000+phones.Add(1)) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func managementRoom(t *testing.T, u *matrixtest.User) id.RoomID {
	t.Helper()
	c := u.Cursor()
	room := u.CreateDM(t, bridge.BotMXID())
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(bridge.BotMXID(), "Hello, I'm a Telegram bridge bot"))
	return room
}

func command(t *testing.T, u *matrixtest.User, room id.RoomID, text string, want ...string) {
	t.Helper()
	commandTo(t, u, bridge.BotMXID(), room, text, want...)
}

// commandTo is command for the bot of another bridge (the binary).
func commandTo(t *testing.T, u *matrixtest.User, bot id.UserID, room id.RoomID, text string, want ...string) {
	t.Helper()
	c := u.Cursor()
	u.SendText(t, room, text)
	u.WaitFor(t, room, c, "the bot's answer to "+text, matrixtest.MessageFrom(bot, want...))
}

// ask answers a login step and waits for the next one: its instruction (want) and then the
// bot's "Please enter your <field>" prompt, after which the bot takes the answer. Answering on
// the instruction alone races the bot and gets "Unknown command".
func ask(t *testing.T, u *matrixtest.User, room id.RoomID, text, field string, want ...string) {
	t.Helper()
	askBot(t, u, bridge.BotMXID(), room, text, field, want...)
}

// askBot is ask for the bot of another bridge (the binary).
func askBot(t *testing.T, u *matrixtest.User, bot id.UserID, room id.RoomID, text, field string, want ...string) {
	t.Helper()
	c := u.Cursor()
	u.SendText(t, room, text)
	u.WaitFor(t, room, c, "the bot's answer to "+text, matrixtest.MessageFrom(bot, want...))
	u.WaitFor(t, room, c, "the prompt for the "+field, matrixtest.MessageFrom(bot, "Please enter your "+field))
}

// session is a Matrix user logged in to a fake Telegram account.
type session struct {
	u    *matrixtest.User
	room id.RoomID
	acct *tgfake.Account
}

// login logs a new Matrix user in to a new Telegram account with phone and code.
func login(t *testing.T, name string) *session {
	t.Helper()
	return loginWith(t, name, nil)
}

// loginWith is login with a chance to change the account (e.g. give it Premium) first.
func loginWith(t *testing.T, name string, setup func(*tgfake.Account)) *session {
	t.Helper()
	phone := newPhone()
	acct := net.AddAccount(name, phone, "24680")
	if setup != nil {
		setup(acct)
	}
	u := stack.NewUser(t, "tg")
	room := managementRoom(t, u)
	ask(t, u, room, "login phone", "Phone number", "Enter your Telegram phone number")
	ask(t, u, room, "+"+phone, "Login code", "Enter the login code")
	command(t, u, room, "24680", "Successfully logged in as "+name)
	waitState(t, acct, status.StateConnected)
	return &session{u: u, room: room, acct: acct}
}

func waitState(t *testing.T, acct *tgfake.Account, want status.BridgeStateEvent) {
	t.Helper()
	bridge.WaitState(t, itoa(acct.User.ID), want)
}
