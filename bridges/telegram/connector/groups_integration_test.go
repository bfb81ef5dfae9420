//go:build integration

package connector_test

import (
	"context"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestBasicGroupBothWays: a basic group becomes a room named after it, with its description,
// members and roles, and the Matrix user's messages reach the group.
func TestBasicGroupBothWays(t *testing.T) {
	s := login(t, "Kit")
	ada := net.AddUser("Ada", "", "", newPhone())
	bob := net.AddUser("Bob", "", "", newPhone())
	chat := net.AddChat("Book club", "One book a month", ada, bob, s.acct.User)
	net.MakeAdmin(chat, bob)

	c := s.u.Cursor()
	if _, err := net.DeliverToChat(context.Background(), s.acct, chat, ada, "welcome, everyone"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost, bobGhost := bridge.GhostMXID(itoa(ada.ID)), bridge.GhostMXID(itoa(bob.ID))
	s.u.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "welcome, everyone"))

	ctx := context.Background()
	var name event.RoomNameEventContent
	var topic event.TopicEventContent
	var pl event.PowerLevelsEventContent
	for typ, out := range map[event.Type]any{event.StateRoomName: &name, event.StateTopic: &topic, event.StatePowerLevels: &pl} {
		if err := s.u.Client.StateEvent(ctx, portal, typ, "", out); err != nil {
			t.Fatalf("read %s: %v", typ.Type, err)
		}
	}
	if name.Name != "Book club" || topic.Topic != "One book a month" {
		t.Errorf("portal name %q topic %q", name.Name, topic.Topic)
	}
	if got := pl.GetUserLevel(adaGhost); got != 75 {
		t.Errorf("creator's power level %d, want 75", got)
	}
	if got := pl.GetUserLevel(bobGhost); got != 50 {
		t.Errorf("admin's power level %d, want 50", got)
	}

	s.u.SendText(t, portal, "thanks, Ada")
	sent := sentOf(t, "message")
	if sent.ToChat != chat.ID || sent.Text != "thanks, Ada" {
		t.Errorf("Telegram got %+v, want the text in group %d", sent, chat.ID)
	}
}

// TestBasicGroupChangesBothWays: title changes and members joining or leaving on Telegram
// show in the room; title, description, invites and kicks in Matrix reach Telegram.
func TestBasicGroupChangesBothWays(t *testing.T) {
	s := login(t, "Lev")
	ada := net.AddUser("Ada", "", "", newPhone())
	bob := net.AddUser("Bob", "", "", newPhone())
	cid := net.AddUser("Cid", "", "", newPhone())
	chat := net.AddChat("Runners", "", s.acct.User, ada, bob)
	ctx := context.Background()
	c := s.u.Cursor()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "run at 7?"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	s.u.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "run at 7?"))

	// Telegram → Matrix.
	c = s.u.Cursor()
	if err := net.DeliverService(ctx, s.acct, chat, ada, &tg.MessageActionChatEditTitle{Title: "Morning runners"}); err != nil {
		t.Fatal(err)
	}
	if err := net.DeliverService(ctx, s.acct, chat, ada, &tg.MessageActionChatAddUser{Users: []int64{cid.ID}}, cid); err != nil {
		t.Fatal(err)
	}
	if err := net.DeliverService(ctx, s.acct, chat, bob, &tg.MessageActionChatDeleteUser{UserID: bob.ID}); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the new title", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateRoomName && x.Event.Content.AsRoomName().Name == "Morning runners"
	})
	s.u.WaitFor(t, portal, c, "Cid joining", matrixtest.Membership(bridge.GhostMXID(itoa(cid.ID)), event.MembershipJoin))
	s.u.WaitFor(t, portal, c, "Bob leaving", matrixtest.Membership(bridge.GhostMXID(itoa(bob.ID)), event.MembershipLeave))

	// Matrix → Telegram.
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StateRoomName, "", &event.RoomNameEventContent{Name: "Evening runners"}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "title"); got.ToChat != chat.ID || got.Text != "Evening runners" {
		t.Errorf("title change sent = %+v", got)
	}
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StateTopic, "", &event.TopicEventContent{Topic: "5 km, easy pace"}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "about"); got.ToChat != chat.ID || got.Text != "5 km, easy pace" {
		t.Errorf("description change sent = %+v", got)
	}
	dan := net.AddUser("Dan", "", "", newPhone())
	if _, err := net.Deliver(ctx, s.acct, dan, "hi, can I join your group?"); err != nil {
		t.Fatal(err) // makes Dan (and his access hash) known to the bridge
	}
	if _, err := s.u.Client.InviteUser(ctx, portal, &mautrix.ReqInviteUser{UserID: bridge.GhostMXID(itoa(dan.ID))}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "invite"); got.ToChat != chat.ID || got.To != dan.ID {
		t.Errorf("invite sent = %+v, want Dan (%d) added to %d", got, dan.ID, chat.ID)
	}
	if _, err := s.u.Client.KickUser(ctx, portal, &mautrix.ReqKickUser{UserID: adaGhost, Reason: "moved away"}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "kick"); got.ToChat != chat.ID || got.To != ada.ID {
		t.Errorf("kick sent = %+v, want Ada (%d) removed from %d", got, ada.ID, chat.ID)
	}
}

// TestGroupUpgradeKeepsRoom: when a basic group is upgraded to a supergroup, its room becomes
// the supergroup's room: the upgrade notice and the next messages arrive there, and what the
// user writes goes to the supergroup.
func TestGroupUpgradeKeepsRoom(t *testing.T) {
	s := login(t, "Ugo")
	ada := net.AddUser("Ada", "", "", newPhone())
	chat := net.AddChat("Growing club", "", ada, s.acct.User)
	ctx := context.Background()
	c := s.u.Cursor()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "we are getting big"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	s.u.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "we are getting big"))

	group, err := net.DeliverMigration(ctx, s.acct, chat, ada)
	if err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the upgrade notice in the same room", matrixtest.MessageFrom(adaGhost, "upgraded from the group"))
	if _, err = net.DeliverToChannel(ctx, group, ada, "welcome to the supergroup"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the supergroup's message in the same room", matrixtest.MessageFrom(adaGhost, "welcome to the supergroup"))
	s.u.SendText(t, portal, "nice")
	if got := sentOf(t, "message"); got.ToChannel != group.ID || got.Text != "nice" {
		t.Errorf("sent %+v, want the text in the supergroup %d", got, group.ID)
	}

	// The old group's messages were numbered per account: now in a shared room, they must not
	// stand in for another account's messages with the same numbers.
	other := login(t, "Vic")
	wes, dm, wesGhost, helloID, hello := chatWith(t, other, "Wes")
	c = other.u.Cursor()
	if err := net.DeliverEdit(ctx, other.acct, wes, helloID, "hello, edited"); err != nil {
		t.Fatal(err)
	}
	other.u.WaitFor(t, dm, c, "the edit of message "+itoa(int64(helloID))+" in the other account's chat", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == wesGhost && m.NewContent != nil && m.NewContent.Body == "hello, edited" && m.RelatesTo.GetReplaceID() == hello.ID
	})
}
