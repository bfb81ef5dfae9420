//go:build integration

package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// loginPrinted logs in with the Matrix user and password the summary printed.
func loginPrinted(t *testing.T, hsURL, user, password string) *matrixtest.User {
	t.Helper()
	cli, err := mautrix.NewClient(hsURL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := cli.Login(context.Background(), &mautrix.ReqLogin{
		Type:       mautrix.AuthTypePassword,
		Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: user},
		Password:   password,
	})
	if err != nil {
		t.Fatalf("log in with the printed credentials: %v", err)
	}
	return matrixtest.Login(t, hsURL, matrixtest.Account{UserID: resp.UserID.String(), AccessToken: resp.AccessToken, DeviceID: resp.DeviceID.String()})
}

// text matches a message from someone other than not whose body contains sub.
func text(not id.UserID, sub string) matrixtest.Match {
	return func(s matrixtest.Seen) bool {
		return s.Event.Type == event.EventMessage && s.Event.Sender != not && strings.Contains(s.Event.Content.AsMessage().Body, sub)
	}
}

// TestDevStackTelegramDemo runs the dev stack as `make dev` does with the Telegram bridge and
// the demo network, and does what the printed text tells a newcomer: log in to the bridge with
// the printed phone and code. The demo contacts' chats, the group and the channel must appear
// with their messages, a contact must answer a reply written in Matrix, and the people hub must
// list the demo contacts.
func TestDevStackTelegramDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bridgeBin, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/bridges/telegram/cmd/mxbridges-telegram", dir)
	if err != nil {
		t.Fatal(err)
	}
	demoBin, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/bridges/telegram/cmd/tgdemo", dir)
	if err != nil {
		t.Fatal(err)
	}
	hubBin, err := bridgetest.BuildBinary(ctx, "github.com/mxbridges/mxbridges/bridges/people/cmd/mxbridges-people", dir)
	if err != nil {
		t.Fatal(err)
	}
	st, out, stop := startDev(t, options{bridges: bridgeList{bridgeBin, hubBin}, user: "newcomer", password: "newcomer-pw",
		demo: demoBin, demoInterval: 3 * time.Second})
	defer func() {
		if stop != nil {
			_ = stop()
		}
	}()
	printed := out.String()
	phone := regexp.MustCompile(`login phone (\+\d+)`).FindStringSubmatch(printed)
	code := regexp.MustCompile(`then the code (\d+)`).FindStringSubmatch(printed)
	if phone == nil || code == nil {
		t.Fatalf("the summary does not say how to log in to the demo network:\n%s", printed)
	}
	bot := st.bridges[0].BotMXID()
	if !strings.Contains(printed, "start a chat with "+bot.String()) {
		t.Errorf("the summary does not name the Telegram bot %s:\n%s", bot, printed)
	}

	// The newcomer's steps: a chat with the bot, the printed command, the printed code.
	u := loginPrinted(t, st.synapse.URL, "newcomer", "newcomer-pw")
	c := u.Cursor()
	mgmt := u.CreateDM(t, bot)
	u.WaitFor(t, mgmt, c, "the bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a Telegram bridge bot"))
	c = u.Cursor()
	u.SendText(t, mgmt, "login phone "+phone[1])
	u.WaitFor(t, mgmt, c, "the prompt for the code", matrixtest.MessageFrom(bot, "Please enter your Login code"))
	start := u.Cursor()
	u.SendText(t, mgmt, code[1])
	u.WaitFor(t, mgmt, start, "the login", matrixtest.MessageFrom(bot, "Successfully logged in as Demo User"))

	// Three contacts' chats, the group and the channel invite the user.
	joined := map[id.RoomID]bool{mgmt: true}
	for i := 0; i < 5; i++ {
		room := u.WaitInvite(t, start, "a demo chat's invite", func(s matrixtest.Seen) bool { return !joined[s.Room] })
		joined[room] = true
		u.Join(t, room)
	}
	dm := u.WaitFor(t, "", start, "Ada's greeting", text(u.UserID, "Hi, I'm Ada"))
	alan := u.WaitFor(t, "", start, "Alan's greeting", text(u.UserID, "Hello from Alan"))
	grace := u.WaitFor(t, "", start, "Grace's greeting", text(u.UserID, "Grace here"))
	if alan.RoomID == dm.RoomID || grace.RoomID == dm.RoomID || alan.RoomID == grace.RoomID {
		t.Errorf("two contacts greet in one room: Ada %s, Alan %s, Grace %s", dm.RoomID, alan.RoomID, grace.RoomID)
	}
	group := u.WaitFor(t, "", start, "the group's welcome", text(u.UserID, "Welcome to the Demo Group"))
	channel := u.WaitFor(t, "", start, "the channel's welcome", text(u.UserID, "Demo News: welcome"))
	if dm.RoomID == group.RoomID || dm.RoomID == channel.RoomID || group.RoomID == channel.RoomID || dm.RoomID == mgmt {
		t.Fatalf("the DM (%s), the group (%s) and the channel (%s) share a room", dm.RoomID, group.RoomID, channel.RoomID)
	}
	u.WaitFor(t, channel.RoomID, start, "a timed post of the channel", text(u.UserID, "Demo News #1"))

	// The newcomer answers Ada in Matrix; Ada answers back.
	c = u.Cursor()
	u.SendText(t, dm.RoomID, "hello from Matrix")
	u.WaitFor(t, dm.RoomID, c, "Ada's answer", matrixtest.MessageFrom(dm.Sender, `you wrote "hello from Matrix"`))
	// In the group, a contact answers too.
	c = u.Cursor()
	u.SendText(t, group.RoomID, "hello group")
	u.WaitFor(t, group.RoomID, c, "a contact's answer in the group", text(u.UserID, `you wrote "hello group"`))

	// The people hub, which devstack points at the Telegram bridge, lists the demo contacts.
	hub := st.bridges[1].BotMXID()
	if !strings.Contains(printed, "The people hub "+hub.String()+" reads your contacts on telegram") {
		t.Errorf("the summary does not name the people hub %s:\n%s", hub, printed)
	}
	c = u.Cursor()
	hubRoom := u.CreateDM(t, hub)
	u.WaitFor(t, hubRoom, c, "the hub's welcome", matrixtest.MessageFrom(hub, "Hello, I'm a People bridge bot"))
	c = u.Cursor()
	u.SendText(t, hubRoom, "people")
	u.WaitFor(t, hubRoom, c, "the hub's people", matrixtest.MessageFrom(hub, "Read the contacts of telegram (3 new", "3 people", "Ada Lovelace", "Alan Turing", "Grace Hopper"))

	err, stop = stop(), nil
	if err != nil {
		t.Fatalf("stop: %v", err)
	}
	select {
	case <-st.demo.exited:
	default:
		t.Error("the demo network still runs after the stack stopped")
	}
}
