//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// waitCreated waits until the account has created n chats on Telegram and returns the last.
func waitCreated(t *testing.T, s *session, n int, room id.RoomID) tgfake.Created {
	t.Helper()
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	for time.Now().Before(deadline) {
		if got := net.CreatedBy(s.acct.User.ID); len(got) >= n {
			return got[n-1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing was created on Telegram; the room saw:\n%s", s.u.Describe(room))
	return tgfake.Created{}
}

// TestCreateGroupCommand: `create-group` in a Matrix room with a name, a topic and a Telegram
// user's ghost makes a Telegram group (or supergroup) with them, and the room becomes its
// portal; a room without a name gets an answer saying so.
func TestCreateGroupCommand(t *testing.T) {
	s := login(t, "Cora")
	friend, _, _, _, _ := chatWith(t, s, "Finn") // the bridge knows Finn and his access hash
	ctx := context.Background()
	tests := []struct {
		command, kind, name string
		step                string // what the bridge also sent while creating it
	}{
		{"!tg create-group group", "group", "Hikers", "about"},              // the description, after creating
		{"!tg create-group supergroup", "supergroup", "Climbers", "invite"}, // the members, after creating
	}
	for i, tt := range tests {
		resp, err := s.u.Client.CreateRoom(ctx, &mautrix.ReqCreateRoom{
			Name: tt.name, Topic: "Weekend trips", Preset: "private_chat",
			Invite: []id.UserID{bridge.BotMXID(), bridge.GhostMXID(itoa(friend.ID))},
		})
		if err != nil {
			t.Fatal(err)
		}
		c := s.u.Cursor()
		s.u.WaitFor(t, resp.RoomID, c, "the bot joining", matrixtest.Membership(bridge.BotMXID(), event.MembershipJoin))
		s.u.SendText(t, resp.RoomID, tt.command)
		s.u.WaitFor(t, resp.RoomID, c, "the bot's answer", matrixtest.MessageFrom(bridge.BotMXID(), "Successfully created group"))
		got := waitCreated(t, s, i+1, resp.RoomID)
		if got.Kind != tt.kind || got.Title != tt.name || got.About != "Weekend trips" || len(got.Members) != 1 || got.Members[0] != friend.ID {
			t.Errorf("created %+v, want a %s %q described %q with Finn (%d)", got, tt.kind, tt.name, "Weekend trips", friend.ID)
		}
		sentOf(t, tt.step)
		s.u.SendText(t, resp.RoomID, "first post")
		sent := sentOf(t, "message")
		if sent.Text != "first post" || (sent.ToChat != got.ID && sent.ToChannel != got.ID) {
			t.Errorf("sent %+v, want the text in the new %s %d", sent, tt.kind, got.ID)
		}
	}

	unnamed, err := s.u.Client.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Invite: []id.UserID{bridge.BotMXID()}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.u.Cursor()
	s.u.WaitFor(t, unnamed.RoomID, c, "the bot joining", matrixtest.Membership(bridge.BotMXID(), event.MembershipJoin))
	s.u.SendText(t, unnamed.RoomID, "!tg create-group channel")
	s.u.WaitFor(t, unnamed.RoomID, c, "the refusal", matrixtest.MessageFrom(bridge.BotMXID(), "Failed to create group"))
	if n := len(net.CreatedBy(s.acct.User.ID)); n != len(tests) {
		t.Errorf("%d chats created, want %d: the unnamed room must not make one", n, len(tests))
	}
}
