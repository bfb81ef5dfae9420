//go:build integration

package connector_test

import (
	"context"
	"testing"

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
