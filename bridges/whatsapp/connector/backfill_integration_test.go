//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.mau.fi/util/variationselector"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waHistorySync"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// webMsg is a message as a history sync carries it: sender wrote msg in chat at ts.
func webMsg(chat, sender types.JID, fromMe bool, ts time.Time, pushName string, msg *waE2E.Message) *waWeb.WebMessageInfo {
	w := &waWeb.WebMessageInfo{
		Key:              &waCommon.MessageKey{RemoteJID: proto.String(chat.String()), FromMe: proto.Bool(fromMe), ID: proto.String(string(wafake.NextID()))},
		Message:          msg,
		MessageTimestamp: proto.Uint64(uint64(ts.Unix())),
	}
	if pushName != "" {
		w.PushName = proto.String(pushName)
	}
	if chat.Server == types.GroupServer && !fromMe {
		w.Key.Participant = proto.String(sender.String())
	}
	return w
}

// conversation is one chat of a history sync; msgs are oldest first, and listed newest first
// as WhatsApp does.
func conversation(chatID string, msgs ...*waWeb.WebMessageInfo) *waHistorySync.Conversation {
	conv := &waHistorySync.Conversation{ID: proto.String(chatID)}
	for i := len(msgs) - 1; i >= 0; i-- {
		conv.Messages = append(conv.Messages, &waHistorySync.HistorySyncMsg{Message: msgs[i], MsgOrderID: proto.Uint64(uint64(i + 1))})
	}
	return conv
}

// historySync is the event whatsmeow emits when the phone pushes history.
func historySync(names []*waHistorySync.Pushname, convs ...*waHistorySync.Conversation) *events.HistorySync {
	return &events.HistorySync{Data: &waHistorySync.HistorySync{
		SyncType:      waHistorySync.HistorySync_INITIAL_BOOTSTRAP.Enum(),
		Conversations: convs,
		Pushnames:     names,
	}}
}

// historyPortal waits until the bridge made the room of a chat's portal, waits for the user's
// invite to it and joins.
func historyPortal(t *testing.T, s *session, c matrixtest.Cursor, chat types.JID, what string) id.RoomID {
	t.Helper()
	key := ids.PortalKey(chat, ids.LoginID(s.jid))
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	var room id.RoomID
	for room == "" {
		p, err := bridge.Bridge.DB.Portal.GetByKey(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		if p != nil {
			room = p.MXID
		}
		if room == "" {
			if time.Now().After(deadline) {
				t.Fatalf("no room for the portal of %s (%s) after %s", what, chat, matrixtest.DefaultTimeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	s.u.WaitInvite(t, c, "an invite to the portal of "+what, func(x matrixtest.Seen) bool { return x.Room == room })
	s.u.Join(t, room)
	return room
}

// bodyIs matches a message from anyone whose body is exactly body.
func bodyIs(body string) matrixtest.Match {
	return func(s matrixtest.Seen) bool {
		return s.Event.Type == event.EventMessage && s.Event.Content.AsMessage().Body == body
	}
}

// messagesIn waits until n messages (m.room.message or sticker) arrived in room after c and
// returns them in timeline order.
func messagesIn(t *testing.T, u *matrixtest.User, room id.RoomID, c matrixtest.Cursor, n int, what string) []*event.Event {
	t.Helper()
	var got []*event.Event
	u.WaitFor(t, room, c, what, func(s matrixtest.Seen) bool {
		if s.Event.Type == event.EventMessage || s.Event.Type == event.EventSticker {
			got = append(got, s.Event)
		}
		return len(got) >= n
	})
	return got
}

// displayName is the name a user has in a room.
func displayName(t *testing.T, u *matrixtest.User, room id.RoomID, user id.UserID) string {
	t.Helper()
	return u.WaitFor(t, room, 0, "the member event of "+user.String(), matrixtest.Membership(user, event.MembershipJoin)).Content.AsMember().Displayname
}

// TestBackfillFromHistorySync: the history the phone pushes after linking becomes portals with
// their messages, in order, from the right senders, with their original times, formatting,
// replies, media, polls, reactions and the names people chose; what cannot be bridged is
// skipped without losing the rest.
func TestBackfillFromHistorySync(t *testing.T) {
	s := login(t, "Uma")
	peer := wafake.User(newPhone())
	a, b := wafake.User(newPhone()), wafake.User(newPhone())
	gjid := types.NewJID("120363"+newPhone(), types.GroupServer)
	ginfo := &types.GroupInfo{JID: gjid, OwnerJID: a, Participants: []types.GroupParticipant{
		{JID: s.jid}, {JID: a, IsAdmin: true, IsSuperAdmin: true}, {JID: b},
	}}
	ginfo.Name = "History Club"
	net.AddGroup(ginfo)
	photo := randomBytes(t, 3000)
	path, sha, key := net.AddMedia(photo)

	base := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	at := func(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }
	first := webMsg(peer, peer, false, at(0), "Vera History", wafake.Text("are you there?"))
	dm := []*waWeb.WebMessageInfo{
		first,
		webMsg(peer, s.jid, true, at(1), "", wafake.Text("yes, always")),
		webMsg(peer, peer, false, at(2), "Vera History", wafake.ExtendedText("see you *tomorrow*", &waE2E.ContextInfo{
			StanzaID: first.Key.ID, Participant: proto.String(peer.String()),
		})),
	}
	// The user reacted to the first message from the phone.
	dm[0].Reactions = []*waWeb.Reaction{{
		Key:               &waCommon.MessageKey{RemoteJID: proto.String(peer.String()), FromMe: proto.Bool(true), ID: proto.String("3EB0REACTION1")},
		Text:              proto.String("👍"),
		SenderTimestampMS: proto.Int64(at(1).Add(-time.Second).UnixMilli()),
	}}
	// A group message without a participant cannot be attributed: whatsmeow refuses to parse it.
	orphan := &waWeb.WebMessageInfo{
		Key:              &waCommon.MessageKey{RemoteJID: proto.String(gjid.String()), FromMe: proto.Bool(false), ID: proto.String("3EB0ORPHAN")},
		Message:          wafake.Text("who wrote this?"),
		MessageTimestamp: proto.Uint64(uint64(at(3).Unix())),
	}
	group := []*waWeb.WebMessageInfo{
		webMsg(gjid, a, false, at(3), "Abe Group", wafake.Text("welcome, historians")),
		orphan,
		webMsg(gjid, a, false, at(3).Add(30*time.Second), "Abe Group", &waE2E.Message{PollCreationMessageV3: &waE2E.PollCreationMessage{
			Name: proto.String("Next topic?"), SelectableOptionsCount: proto.Uint32(1),
			Options: []*waE2E.PollCreationMessage_Option{{OptionName: proto.String("Rome")}, {OptionName: proto.String("Egypt")}},
		}}),
		webMsg(gjid, b, false, at(4), "", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			DirectPath: proto.String(path), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(uint64(len(photo))),
			Mimetype: proto.String("image/jpeg"), Caption: proto.String("old photo")}}),
	}
	evt := historySync(
		// b's name comes only from the history sync's push name list.
		[]*waHistorySync.Pushname{{ID: proto.String(b.String()), Pushname: proto.String("Bo Pushname")}},
		conversation("not a chat", webMsg(peer, peer, false, at(0), "", wafake.Text("lost"))),
		conversation(types.StatusBroadcastJID.String(), webMsg(types.StatusBroadcastJID, peer, false, at(0), "", wafake.Text("a story"))),
		conversation(peer.String(), dm...),
		conversation(gjid.String(), group...),
	)

	c := s.u.Cursor()
	s.cli.Emit(evt)
	// Status broadcasts are not bridged by default: no portal, not even an empty one. (Emit
	// returns after the handler queued its events, and queueing creates the portal row.)
	statusKey := ids.PortalKey(types.StatusBroadcastJID, ids.LoginID(s.jid))
	if p, err := bridge.Bridge.DB.Portal.GetByKey(context.Background(), statusKey); err != nil || p != nil {
		t.Errorf("status broadcast portal = %v, %v; want none", p, err)
	}

	dmRoom := historyPortal(t, s, c, peer, "the chat with Vera")
	groupRoom := historyPortal(t, s, c, gjid, "History Club")

	peerGhost, ownGhost := bridge.GhostMXID(peer.User), bridge.GhostMXID(s.jid.User)
	// Without double puppeting, bridgev2 shows the user's own WhatsApp messages as sent by the
	// ghost of their WhatsApp account.
	want := []struct {
		sender id.UserID
		body   string
		ts     time.Time
	}{{peerGhost, "are you there?", at(0)}, {ownGhost, "yes, always", at(1)}, {peerGhost, "tomorrow", at(2)}}
	got := messagesIn(t, s.u, dmRoom, c, len(want), "the DM history")
	for i, w := range want {
		m := got[i].Content.AsMessage()
		if got[i].Sender != w.sender || !strings.Contains(m.Body, w.body) || got[i].Timestamp != w.ts.UnixMilli() {
			t.Errorf("DM message %d = %s %q at %d, want %s %q at %d", i, got[i].Sender, m.Body, got[i].Timestamp, w.sender, w.body, w.ts.UnixMilli())
		}
	}
	if f := got[2].Content.AsMessage().FormattedBody; f != "see you <strong>tomorrow</strong>" {
		t.Errorf("formatted body %q, want WhatsApp formatting as HTML", f)
	}
	if target := got[2].Content.AsMessage().RelatesTo.GetReplyTo(); target != got[0].ID {
		t.Errorf("historic reply points at %s, want the first message %s", target, got[0].ID)
	}
	r := s.u.WaitFor(t, dmRoom, c, "the user's historic reaction", matrixtest.Type(event.EventReaction, ownGhost))
	if rel := r.Content.AsReaction().RelatesTo; rel.EventID != got[0].ID || variationselector.Remove(rel.Key) != "👍" {
		t.Errorf("reaction %q on %s, want 👍 on %s", rel.Key, rel.EventID, got[0].ID)
	}
	if name := displayName(t, s.u, dmRoom, peerGhost); name != "Vera History" {
		t.Errorf("peer ghost is named %q, want the push name from its history messages", name)
	}

	ghostA, ghostB := bridge.GhostMXID(a.User), bridge.GhostMXID(b.User)
	got = messagesIn(t, s.u, groupRoom, c, 2, "the group history")
	if got[0].Sender != ghostA || got[0].Content.AsMessage().Body != "welcome, historians" {
		t.Errorf("first group message %s %q, want %s's welcome", got[0].Sender, got[0].Content.AsMessage().Body, ghostA)
	}
	img := got[1].Content.AsMessage()
	if got[1].Sender != ghostB || img.MsgType != event.MsgImage || img.Body != "old photo" {
		t.Errorf("second group message %s %s %q, want %s's image with its caption", got[1].Sender, img.MsgType, img.Body, ghostB)
	} else if data := s.u.Download(t, img.URL); !bytes.Equal(data, photo) {
		t.Errorf("backfilled image has %d bytes, not the %d sent on WhatsApp", len(data), len(photo))
	}
	poll := s.u.WaitFor(t, groupRoom, c, "the historic poll", matrixtest.Type(event.EventUnstablePollStart, ghostA))
	if p := pollStartOf(t, poll); p.Question.GetText() != "Next topic?" || len(p.Answers) != 2 {
		t.Errorf("historic poll = %+v", p)
	}
	if name := displayName(t, s.u, groupRoom, ghostB); name != "Bo Pushname" {
		t.Errorf("group member ghost is named %q, want the history sync's push name", name)
	}
	if name := displayName(t, s.u, groupRoom, ghostA); name != "Abe Group" {
		t.Errorf("group admin ghost is named %q, want the push name from its history message", name)
	}
	s.u.Never(t, groupRoom, c, 200*time.Millisecond, "the message without a sender", bodyIs("who wrote this?"))
	s.u.Never(t, "", c, 200*time.Millisecond, "the message of the malformed conversation", bodyIs("lost"))
}

// TestBackfillIntoExistingPortal: a history sync for a chat that already has a portal bridges
// only what is newer than the last bridged message: nothing twice, and no older history behind
// it (Matrix rooms only grow at the end).
func TestBackfillIntoExistingPortal(t *testing.T) {
	s := login(t, "Wes")
	ch, hello, _ := openChat(t, s, "Xia", "live hello")
	ts := hello.Info.Timestamp
	again := webMsg(ch.peer, ch.peer, false, ts, "", wafake.Text("live hello"))
	again.Key.ID = proto.String(string(hello.Info.ID))
	c := s.u.Cursor()
	s.cli.Emit(historySync(nil, conversation(ch.peer.String(),
		webMsg(ch.peer, ch.peer, false, ts.Add(-time.Hour), "", wafake.Text("before the bridge")),
		again,
		webMsg(ch.peer, ch.peer, false, ts.Add(2*time.Second), "", wafake.Text("missed while away")),
	)))
	s.u.WaitFor(t, ch.portal, c, "the newer history message", matrixtest.MessageFrom(ch.ghost, "missed while away"))
	s.u.Never(t, ch.portal, c, 500*time.Millisecond, "the already bridged message again", bodyIs("live hello"))
	s.u.Never(t, ch.portal, c, 0, "history older than the portal", bodyIs("before the bridge"))
}
