//go:build integration

package connector_test

// Integration tests of the WhatsApp bridge: the bridge runs in-process against a real Synapse
// and PostgreSQL (see pkg/bridgetest); WhatsApp is wafake behind the wa seam, fed with real
// whatsmeow events and waE2E protobufs. Tests act as a Matrix user in real rooms and assert
// both what the user sees and what reached "WhatsApp".

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
	"github.com/mxbridges/mxbridges/pkg/loopback"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

var (
	stack  *bridgetest.Stack
	bridge *bridgetest.Bridge
	// binary is the same bridge run as its built program (tag wafake), on the same fake network
	// served over HTTP, for tests that kill and restart it.
	binary *bridgetest.ProcessBridge
	// fleet is another run of the binary, for the memory and startup bench: its database is
	// seeded with many logins and portals, and it reports its logins' bridge states to states.
	fleet  *bridgetest.ProcessBridge
	states *loadtest.StateWatch
	net    *wafake.Network
	phones atomic.Int64
	// metricsURL is where the bridge serves its Prometheus metrics (metrics_integration_test.go).
	metricsURL string
)

func TestMain(m *testing.M) {
	os.Exit(bridgetest.Main(m, "whatsapp", func(ctx context.Context, s *bridgetest.Stack) error {
		stack, net = s, wafake.New()
		conn := connector.New()
		conn.NewClient = net.NewClient
		port, err := loopback.FreePort()
		if err != nil {
			return err
		}
		metricsURL = loopback.URL(port) + "/metrics"
		bridge, err = s.AddBridge(ctx, bridgetest.BridgeOptions{Name: "whatsapp", Connector: conn, Extra: map[string]any{
			"network.metrics.listen": strings.TrimPrefix(loopback.URL(port), "http://"),
			// History sync (backfill_integration_test.go) backfills new portals.
			"backfill.enabled":              true,
			"backfill.max_initial_messages": 50,
		}})
		if err != nil {
			return err
		}
		// The binary reaches the fake of this process; it must outlive the binary's kills.
		remote := wafake.ServeRemote(net)
		s.AfterTests(func() error { remote.Close(); return nil })
		if err = os.Setenv("MXB_WAFAKE_URL", remote.URL); err != nil {
			return err
		}
		bin, err := bridgetest.BuildBinaryTags(ctx, "github.com/mxbridges/mxbridges/bridges/whatsapp/cmd/mxbridges-whatsapp", s.Dir, "goolm,wafake")
		if err != nil {
			return err
		}
		if binary, err = s.AddProcess(ctx, bridgetest.BridgeOptions{Name: "waproc", Binary: bin}); err != nil {
			return err
		}
		if states, err = loadtest.NewStateWatch(); err != nil {
			return err
		}
		fleet, err = s.AddProcess(ctx, bridgetest.BridgeOptions{Name: "wabench", Binary: bin, Extra: map[string]any{
			"homeserver.status_endpoint": states.URL(),
		}})
		return err
	}))
}

// newPhone returns a fresh WhatsApp phone number.
func newPhone() string {
	return "49151" + strings.Repeat("0", 3) + strconv.FormatInt(1000000+phones.Add(1), 10)
}

// session is a Matrix user logged in to WhatsApp through the bridge.
type session struct {
	u          *matrixtest.User
	management id.RoomID
	cli        *wafake.Client
	jid        types.JID
}

func managementRoom(t *testing.T, u *matrixtest.User) id.RoomID {
	t.Helper()
	c := u.Cursor()
	room := u.CreateDM(t, bridge.BotMXID())
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(bridge.BotMXID(), "Hello, I'm a WhatsApp bridge bot"))
	return room
}

// command sends text in room and returns the bot's next message containing all of want.
func command(t *testing.T, u *matrixtest.User, room id.RoomID, text string, want ...string) *event.Event {
	t.Helper()
	c := u.Cursor()
	u.SendText(t, room, text)
	return u.WaitFor(t, room, c, "the bot's answer to "+text, matrixtest.MessageFrom(bridge.BotMXID(), want...))
}

// login links a new WhatsApp account through the QR flow, as a user scanning the code would.
func login(t *testing.T, name string) *session {
	t.Helper()
	u := stack.NewUser(t, "wa")
	room := managementRoom(t, u)
	cli, jid := linkQR(t, u, room, name)
	return &session{u: u, management: room, cli: cli, jid: jid}
}

// linkQR runs `login qr` in room and pairs a new phone named name.
func linkQR(t *testing.T, u *matrixtest.User, room id.RoomID, name string) (*wafake.Client, types.JID) {
	t.Helper()
	cli, _ := startQR(t, u, room, "2@qr-"+name)
	jid := wafake.User(newPhone())
	c := u.Cursor()
	if err := cli.Pair(context.Background(), jid, name); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "login success", matrixtest.MessageFrom(bridge.BotMXID(), "Successfully logged in as "+name))
	return cli, jid
}

// startQR runs `login qr` in room, makes WhatsApp hand the new connection the QR code `code`,
// and returns the connection and the bot's message showing the code.
func startQR(t *testing.T, u *matrixtest.User, room id.RoomID, code string) (*wafake.Client, *event.Event) {
	t.Helper()
	prev := net.Latest()
	c := u.Cursor()
	u.SendText(t, room, "login qr")
	cli, err := net.WaitLatest(prev, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err = cli.ShowQR(code); err != nil {
		t.Fatal(err)
	}
	return cli, u.WaitFor(t, room, c, "the QR code", matrixtest.MessageFrom(bridge.BotMXID(), code))
}

// waitState waits until the login's latest bridge state is want.
func waitState(t *testing.T, loginID string, want status.BridgeStateEvent) {
	t.Helper()
	bridge.WaitState(t, loginID, want)
}
