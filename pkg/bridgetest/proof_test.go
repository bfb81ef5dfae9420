//go:build integration

package bridgetest_test

// These tests prove that the integration stack is real: a Synapse on loopback, bridges on
// PostgreSQL and SQLite, and Matrix users who talk to them through real rooms. They drive the
// test-only fakenet connector the way a person would.

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

var (
	stack *bridgetest.Stack
	// onPG runs on PostgreSQL (or $MXB_TEST_DB); onSQLite always on SQLite.
	onPG, onSQLite   *bridgetest.Bridge
	pgNet, sqliteNet *fakenet.Network
	// binary is the fakenet bridge as a built binary, run as its own process.
	binary   *bridgetest.ProcessBridge
	outsider = "outsider"
)

func TestMain(m *testing.M) {
	os.Exit(bridgetest.Main(m, "proof", func(ctx context.Context, s *bridgetest.Stack) error {
		stack = s
		pgNet, sqliteNet = fakenet.New(), fakenet.New()
		var err error
		onPG, err = s.AddBridge(ctx, bridgetest.BridgeOptions{
			Name:        "fakenet",
			Connector:   pgNet.Connector(),
			Permissions: map[string]string{"@" + outsider + ":localhost": "relay"},
		})
		if err != nil {
			return err
		}
		onSQLite, err = s.AddBridge(ctx, bridgetest.BridgeOptions{
			Name:      "fakesqlite",
			Connector: sqliteNet.Connector(),
			DB:        bridgetest.SQLite,
		})
		if err != nil {
			return err
		}
		bin, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet/cmd/fakenet-bridge", s.Dir)
		if err != nil {
			return err
		}
		if binary, err = s.AddProcess(ctx, bridgetest.BridgeOptions{Name: "fakebin", Binary: bin}); err != nil {
			return err
		}
		return setupSecurity(ctx, s)
	}))
}

// managementRoom opens a DM with the bridge bot and waits for its welcome.
func managementRoom(t *testing.T, u *matrixtest.User, b *bridgetest.Bridge) id.RoomID {
	t.Helper()
	c := u.Cursor()
	room := u.CreateDM(t, b.BotMXID())
	u.WaitFor(t, room, c, "the bot to join", matrixtest.Membership(b.BotMXID(), event.MembershipJoin))
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(b.BotMXID(), "Hello, I'm a Fake Network bridge bot", "management room"))
	return room
}

// command sends a command and returns the bot's next reply.
func command(t *testing.T, u *matrixtest.User, b *bridgetest.Bridge, room id.RoomID, cmd string, want ...string) string {
	t.Helper()
	c := u.Cursor()
	u.SendText(t, room, cmd)
	evt := u.WaitFor(t, room, c, "the bot's reply to "+cmd, matrixtest.MessageFrom(b.BotMXID(), want...))
	return evt.Content.AsMessage().Body
}

// prompt sends a command that starts a login and waits until the bot takes the next message
// as the answer (see Bridge.WaitPrompt).
func prompt(t *testing.T, u *matrixtest.User, b *bridgetest.Bridge, room id.RoomID, cmd string, want ...string) {
	t.Helper()
	command(t, u, b, room, cmd, want...)
	b.WaitPrompt(t, u.UserID)
}

// loginFake logs u in to the fake network as username through the bot's password flow.
func loginFake(t *testing.T, u *matrixtest.User, b *bridgetest.Bridge, net *fakenet.Network, room id.RoomID, username string) {
	t.Helper()
	net.AddAccount(username, "pw-"+username)
	prompt(t, u, b, room, "login password", "Please enter your Username")
	command(t, u, b, room, username, "Please enter your Password")
	command(t, u, b, room, "pw-"+username, "Logged in as "+username)
}

func TestBotJoinsDMAndAnswersHelp(t *testing.T) {
	u := stack.NewUser(t, "helpuser")
	room := managementRoom(t, u, onPG)
	help := command(t, u, onPG, room, "help", "login")
	for _, want := range []string{"Authentication", "logout", "list-logins"} {
		if !strings.Contains(help, want) {
			t.Errorf("help reply lacks %q:\n%s", want, help)
		}
	}
}

func TestLoginListsFlowsAndLogsIn(t *testing.T) {
	u := stack.NewUser(t, "loginuser")
	room := managementRoom(t, u, onPG)
	reply := command(t, u, onPG, room, "login", "Please specify a login flow")
	for _, flow := range []string{"`password`", "`token`"} {
		if !strings.Contains(reply, flow) {
			t.Errorf("login reply does not list flow %s:\n%s", flow, reply)
		}
	}

	pgNet.AddAccount("dora", "pw-dora-right")
	prompt(t, u, onPG, room, "login password", "Please enter your Username")
	command(t, u, onPG, room, "dora", "Please enter your Password")
	stack.AddSecret("mistyped fakenet password of dora", "pw-dora-wrong")
	command(t, u, onPG, room, "pw-dora-wrong", "Wrong username, password or token")
	if onPG.Login("dora") != nil {
		t.Fatal("a wrong password created a login")
	}

	prompt(t, u, onPG, room, "login token", "access token")
	command(t, u, onPG, room, "token-dora", "Logged in as dora")
	if ul := onPG.Login("dora"); ul == nil || ul.UserMXID != u.UserID {
		t.Fatalf("login dora = %v, want one owned by %s", ul, u.UserID)
	}
	command(t, u, onPG, room, "list-logins", "dora")
}

func TestUnauthorisedUserIsRefused(t *testing.T) {
	u := stack.User(t, outsider)
	c := u.Cursor()
	room := u.CreateDM(t, onPG.BotMXID())
	evt := u.WaitFor(t, room, c, "the bot to reject the invite", matrixtest.Membership(onPG.BotMXID(), event.MembershipLeave))
	if reason := evt.Content.AsMember().Reason; !strings.Contains(reason, "don't have permission") {
		t.Errorf("bot left with reason %q, want a permission refusal", reason)
	}
	u.Never(t, room, c, time.Second, "the bot joining for an unauthorised user", matrixtest.Membership(onPG.BotMXID(), event.MembershipJoin))
}

func TestAppservicePing(t *testing.T) {
	for _, b := range []*bridgetest.Bridge{onPG, onSQLite} {
		t.Run(b.Name, func(t *testing.T) {
			cli, err := mautrix.NewClient(stack.Synapse.URL, b.BotMXID(), b.Config.AppService.ASToken)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := cli.AppservicePing(context.Background(), b.Registration.ID, "proof-ping")
			if err != nil {
				t.Fatalf("Synapse could not reach %s's appservice listener: %v", b.Name, err)
			}
			if resp.DurationMS < 0 {
				t.Errorf("ping duration %d ms", resp.DurationMS)
			}
			if _, err = cli.AppservicePing(context.Background(), "not-"+b.Registration.ID, "x"); err == nil {
				t.Error("pinging another appservice with this token succeeded; Synapse is not checking tokens")
			}
		})
	}
}

// TestMessagesFlowBothWays: a fake remote user's message appears in a new portal as a ghost
// with the remote display name, and a Matrix reply in that portal reaches the fake network.
func TestMessagesFlowBothWays(t *testing.T) {
	tests := []struct {
		bridge *bridgetest.Bridge
		net    *fakenet.Network
	}{{onPG, pgNet}, {onSQLite, sqliteNet}}
	for _, tt := range tests {
		t.Run(tt.bridge.Name+"-"+tt.bridge.DBKind, func(t *testing.T) {
			b, net := tt.bridge, tt.net
			u := stack.NewUser(t, "portaluser")
			room := managementRoom(t, u, b)
			login := "erin-" + b.Name
			loginFake(t, u, b, net, room, login)

			net.SetName("carol", "Carol Remote")
			c := u.Cursor()
			if _, err := net.Deliver(context.Background(), login, "carol", "hi from carol"); err != nil {
				t.Fatal(err)
			}
			portal := u.WaitInvite(t, c, "an invite to the new portal", nil)
			u.Join(t, portal)
			ghost := b.GhostMXID("carol")
			u.WaitFor(t, portal, c, "carol's message from her ghost", matrixtest.MessageFrom(ghost, "hi from carol"))
			member := u.WaitFor(t, portal, c, "carol's ghost in the portal", matrixtest.Membership(ghost, event.MembershipJoin))
			if name := member.Content.AsMember().Displayname; name != "Carol Remote" {
				t.Errorf("ghost display name %q, want %q", name, "Carol Remote")
			}

			u.SendText(t, portal, "hello back, carol")
			sent, err := net.WaitSent(matrixtest.DefaultTimeout)
			if err != nil {
				t.Fatalf("%v; bridge log tail:\n%s", err, b.LogTail(15))
			}
			want := fakenet.Sent{Login: login, Chat: "carol", Text: "hello back, carol", ID: sent.ID}
			if sent != want {
				t.Errorf("the fake network got %+v, want %+v", sent, want)
			}
		})
	}
}

// TestBinaryBridgeSurvivesKill runs the bridge as its built binary (config from -e, registration
// from -g), kills it without warning, starts it again and checks that it still answers.
func TestBinaryBridgeSurvivesKill(t *testing.T) {
	u := stack.NewUser(t, "binuser")
	c := u.Cursor()
	room := u.CreateDM(t, binary.BotMXID())
	u.WaitFor(t, room, c, "the binary bridge's welcome", matrixtest.MessageFrom(binary.BotMXID(), "Hello, I'm a Fake Network bridge bot"))

	reply := func(cmd string, want ...string) {
		t.Helper()
		c := u.Cursor()
		u.SendText(t, room, cmd)
		u.WaitFor(t, room, c, "the binary bridge's reply to "+cmd, matrixtest.MessageFrom(binary.BotMXID(), want...))
	}
	reply("login", "`password`", "`token`")

	if err := binary.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-binary.Exited():
	default:
		t.Fatal("the bridge process is still running after Kill")
	}
	if err := binary.Start(); err != nil {
		t.Fatal(err)
	}
	reply("help", "Authentication")
}
