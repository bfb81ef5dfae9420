//go:build integration

package connector_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// roomState reads one state event of a room.
func roomState(t *testing.T, s *session, room id.RoomID, typ event.Type, out any) {
	t.Helper()
	if err := s.u.Client.StateEvent(context.Background(), room, typ, "", out); err != nil {
		t.Fatalf("read %s: %v", typ.Type, err)
	}
}

// TestSupergroupBothWays: a supergroup becomes a room with its title, description, members
// and roles; messages, replies, edits and deletes go both ways with per-channel message IDs.
func TestSupergroupBothWays(t *testing.T) {
	s := login(t, "Sol")
	ada := net.AddUser("Ada", "", "", newPhone())
	bob := net.AddUser("Bob", "", "", newPhone())
	group := net.AddSupergroup("Gardeners", "Tomatoes and more", ada, bob, s.acct.User)
	net.MakeChannelAdmin(group, bob)
	ctx := context.Background()

	c := s.u.Cursor()
	helloID, err := net.DeliverToChannel(ctx, group, ada, "first harvest!")
	if err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the supergroup's portal", nil)
	s.u.Join(t, portal)
	adaGhost, bobGhost := bridge.GhostMXID(itoa(ada.ID)), bridge.GhostMXID(itoa(bob.ID))
	hello := s.u.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "first harvest!"))

	var name event.RoomNameEventContent
	var topic event.TopicEventContent
	var pl event.PowerLevelsEventContent
	roomState(t, s, portal, event.StateRoomName, &name)
	roomState(t, s, portal, event.StateTopic, &topic)
	roomState(t, s, portal, event.StatePowerLevels, &pl)
	if name.Name != "Gardeners" || topic.Topic != "Tomatoes and more" {
		t.Errorf("portal name %q topic %q", name.Name, topic.Topic)
	}
	if pl.GetUserLevel(adaGhost) != 75 || pl.GetUserLevel(bobGhost) != 50 {
		t.Errorf("creator/admin power levels %d/%d, want 75/50", pl.GetUserLevel(adaGhost), pl.GetUserLevel(bobGhost))
	}
	if got := pl.GetEventLevel(event.EventMessage); got > pl.GetUserLevel(s.u.UserID) {
		t.Errorf("a member of a supergroup cannot write in its room: message level %d, user level %d", got, pl.GetUserLevel(s.u.UserID))
	}

	// Matrix → Telegram: a reply, its edit and its deletion, all in the supergroup.
	mine := s.u.Reply(t, portal, hello.ID, "congrats!")
	sent := sentOf(t, "message")
	if sent.ToChannel != group.ID || sent.Text != "congrats!" || sent.ReplyTo != helloID {
		t.Errorf("reply sent = %+v, want an answer to %d in supergroup %d", sent, helloID, group.ID)
	}
	s.u.Edit(t, portal, mine, "congrats!!")
	if edit := sentOf(t, "edit"); edit.ToChannel != group.ID || edit.ID != sent.ID || edit.Text != "congrats!!" {
		t.Errorf("edit sent = %+v, want message %d changed", edit, sent.ID)
	}
	s.u.Redact(t, portal, mine)
	if del := sentOf(t, "delete"); del.ToChannel != group.ID || len(del.IDs) != 1 || del.IDs[0] != sent.ID {
		t.Errorf("delete sent = %+v, want message %d of supergroup %d", del, sent.ID, group.ID)
	}

	// Telegram → Matrix: Bob answers the user's next message, edits and deletes his answer.
	c = s.u.Cursor()
	s.u.SendText(t, portal, "who brings seeds?")
	q := sentOf(t, "message")
	replyID, err := net.DeliverToChannel(ctx, group, bob, "me")
	if err != nil {
		t.Fatal(err)
	}
	reply := s.u.WaitFor(t, portal, c, "Bob's message", matrixtest.MessageFrom(bobGhost, "me"))
	if err = net.DeliverChannelEdit(ctx, group, bob, replyID, "me, tomorrow"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "Bob's edit", func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Sender == bobGhost && m.NewContent != nil && m.NewContent.Body == "me, tomorrow" && m.RelatesTo.GetReplaceID() == reply.ID
	})
	if err = net.DeliverChannelDelete(ctx, group, replyID); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the deletion of Bob's message", redactionOf(reply.ID))
	if countBody(s.u, portal, "who brings seeds?") != 1 || q.ID <= helloID {
		t.Errorf("the user's own message was echoed or misnumbered (id %d after %d)", q.ID, helloID)
	}
}

// TestBroadcastChannelIsReadOnly: a channel the user only reads becomes a room where the
// channel posts under its own name and the user cannot write (but may react); nothing the
// user tries to write reaches Telegram.
func TestBroadcastChannelIsReadOnly(t *testing.T) {
	s := login(t, "Rea")
	owner := net.AddUser("Owner", "", "", newPhone())
	channel := net.AddBroadcast("Daily news", "All the news", owner, s.acct.User)
	ctx := context.Background()

	c := s.u.Cursor()
	if _, err := net.DeliverToChannel(ctx, channel, nil, "today: sunshine"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the channel's portal", nil)
	s.u.Join(t, portal)
	channelGhost := bridge.GhostMXID("channel-" + itoa(channel.ID))
	post := s.u.WaitFor(t, portal, c, "the channel's post", matrixtest.MessageFrom(channelGhost, "today: sunshine"))

	profile, err := s.u.Client.GetProfile(ctx, channelGhost)
	if err != nil || profile.DisplayName != "Daily news" {
		t.Errorf("channel ghost profile = %+v, %v; want it named after the channel", profile, err)
	}
	var pl event.PowerLevelsEventContent
	roomState(t, s, portal, event.StatePowerLevels, &pl)
	if pl.GetEventLevel(event.EventMessage) <= pl.GetUserLevel(s.u.UserID) {
		t.Errorf("a subscriber may write in the channel's room: message level %d, user level %d",
			pl.GetEventLevel(event.EventMessage), pl.GetUserLevel(s.u.UserID))
	}
	_, err = s.u.Client.SendText(ctx, portal, "can I post?")
	var httpErr mautrix.HTTPError
	if err == nil || !errors.As(err, &httpErr) || httpErr.RespError == nil || httpErr.RespError.ErrCode != mautrix.MForbidden.ErrCode {
		t.Errorf("sending in a read-only channel room: err = %v, want M_FORBIDDEN", err)
	}

	// Reactions are allowed, as on Telegram.
	s.u.React(t, portal, post.ID, "👍")
	if got := sentOf(t, "reaction"); got.ToChannel != channel.ID || len(got.Reactions) != 1 || got.Reactions[0] != "👍" {
		t.Errorf("reaction sent = %+v, want 👍 in channel %d", got, channel.ID)
	}
}

// TestChannelAdminPostsAndManages: the channel's creator posts from Matrix as the channel, and
// renames it, changes its description, and adds and removes supergroup members.
func TestChannelAdminPostsAndManages(t *testing.T) {
	s := login(t, "Max")
	reader := net.AddUser("Reader", "", "", newPhone())
	channel := net.AddBroadcast("Max's notes", "", s.acct.User, reader)
	ctx := context.Background()
	c := s.u.Cursor()
	if _, err := net.DeliverToChannel(ctx, channel, nil, "note one"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the channel's portal", nil)
	s.u.Join(t, portal)
	s.u.WaitFor(t, portal, c, "the first note", matrixtest.MessageFrom(bridge.GhostMXID("channel-"+itoa(channel.ID)), "note one"))

	s.u.SendText(t, portal, "note two")
	if got := sentOf(t, "message"); got.ToChannel != channel.ID || got.Text != "note two" {
		t.Errorf("post sent = %+v, want it in channel %d", got, channel.ID)
	}
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StateRoomName, "", &event.RoomNameEventContent{Name: "Max's notebook"}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "title"); got.ToChannel != channel.ID || got.Text != "Max's notebook" {
		t.Errorf("title change sent = %+v", got)
	}
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StateTopic, "", &event.TopicEventContent{Topic: "Short notes"}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "about"); got.ToChannel != channel.ID || got.Text != "Short notes" {
		t.Errorf("description change sent = %+v", got)
	}

	// In a supergroup the user administers, invites and kicks reach Telegram.
	ada := net.AddUser("Ada", "", "", newPhone())
	dan := net.AddUser("Dan", "", "", newPhone())
	group := net.AddSupergroup("Max's club", "", s.acct.User, ada)
	c = s.u.Cursor()
	if _, err := net.DeliverToChannel(ctx, group, ada, "hi all"); err != nil {
		t.Fatal(err)
	}
	groupRoom := s.u.WaitInvite(t, c, "the supergroup's portal", nil)
	s.u.Join(t, groupRoom)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	s.u.WaitFor(t, groupRoom, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "hi all"))
	if _, err := net.Deliver(ctx, s.acct, dan, "add me to your club?"); err != nil {
		t.Fatal(err) // makes Dan (and his access hash) known to the bridge
	}
	if _, err := s.u.Client.InviteUser(ctx, groupRoom, &mautrix.ReqInviteUser{UserID: bridge.GhostMXID(itoa(dan.ID))}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "invite"); got.ToChannel != group.ID || got.To != dan.ID {
		t.Errorf("invite sent = %+v, want Dan (%d) added to %d", got, dan.ID, group.ID)
	}
	if _, err := s.u.Client.KickUser(ctx, groupRoom, &mautrix.ReqKickUser{UserID: adaGhost}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "kick"); got.ToChannel != group.ID || got.To != ada.ID {
		t.Errorf("kick sent = %+v, want Ada (%d) removed from %d", got, ada.ID, group.ID)
	}
}

// TestSupergroupSharedAndCaughtUp: two Matrix users in the same supergroup share one room; a
// message that arrives while the bridge is away comes through the channel's difference
// after it reconnects, once; a user removed from the supergroup on Telegram leaves the room.
func TestSupergroupSharedAndCaughtUp(t *testing.T) {
	one := login(t, "Uma")
	two := login(t, "Ugo")
	ada := net.AddUser("Ada", "", "", newPhone())
	group := net.AddSupergroup("Neighbours", "", ada, one.acct.User, two.acct.User)
	ctx := context.Background()
	c1, c2 := one.u.Cursor(), two.u.Cursor()
	if _, err := net.DeliverToChannel(ctx, group, ada, "street party saturday"); err != nil {
		t.Fatal(err)
	}
	room1 := one.u.WaitInvite(t, c1, "the supergroup's portal", nil)
	room2 := two.u.WaitInvite(t, c2, "the supergroup's portal", nil)
	if room1 != room2 {
		t.Fatalf("two logins in one supergroup got two rooms: %s and %s", room1, room2)
	}
	one.u.Join(t, room1)
	two.u.Join(t, room2)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	one.u.WaitFor(t, room1, c1, "Ada's message", matrixtest.MessageFrom(adaGhost, "street party saturday"))

	// Both logins go away; Ada writes; they come back.
	for _, s := range []*session{one, two} {
		bridge.Login(itoa(s.acct.User.ID)).Client.Disconnect()
	}
	c1 = one.u.Cursor()
	if _, err := net.DeliverToChannel(ctx, group, ada, "bring chairs"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*session{one, two} {
		ul := bridge.Login(itoa(s.acct.User.ID))
		ul.Client.Connect(ul.Log.WithContext(ctx))
		waitState(t, s.acct, status.StateConnected)
	}
	one.u.WaitFor(t, room1, c1, "the missed message", matrixtest.MessageFrom(adaGhost, "bring chairs"))
	one.u.Never(t, room1, c1, 2*time.Second, "a second copy of the missed message", func(x matrixtest.Seen) bool {
		return countBody(one.u, room1, "bring chairs") > 1
	})

	c1 = one.u.Cursor()
	if err := net.RemoveFromChannel(ctx, group, two.acct.User); err != nil {
		t.Fatal(err)
	}
	one.u.WaitFor(t, room1, c1, "Ugo leaving the room", matrixtest.Membership(two.u.UserID, event.MembershipLeave))
}
