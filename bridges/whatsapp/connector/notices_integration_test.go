//go:build integration

package connector_test

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestViewOnceIsANotice: view-once media is announced but its content stays on the phone.
func TestViewOnceIsANotice(t *testing.T) {
	s := login(t, "Uma")
	ch, _, _ := openChat(t, s, "Val", "psst")
	data := randomBytes(t, 512)
	path, sha, key := net.AddMedia(data)
	evt := wafake.Incoming(ch.peer, ch.peer, "", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
		DirectPath: proto.String(path), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(512), Mimetype: proto.String("image/jpeg"),
	}})
	evt.IsViewOnce = true
	c := s.u.Cursor()
	ch.cli.Emit(evt)
	got := s.u.WaitFor(t, ch.portal, c, "the view-once notice", matrixtest.MessageFrom(ch.ghost, "view-once"))
	if msg := got.Content.AsMessage(); msg.MsgType != event.MsgNotice || msg.URL != "" {
		t.Errorf("view-once arrived as %s with URL %q, want a notice without the file", msg.MsgType, msg.URL)
	}
}

// TestUndecryptableIsANotice: a message whatsmeow could not decrypt (a broken protobuf or
// ciphertext) is not lost silently.
func TestUndecryptableIsANotice(t *testing.T) {
	s := login(t, "Udo")
	ch, _, _ := openChat(t, s, "Vic", "first")
	c := s.u.Cursor()
	ch.cli.Emit(&events.UndecryptableMessage{Info: wafake.Incoming(ch.peer, ch.peer, "", nil).Info})
	s.u.WaitFor(t, ch.portal, c, "the undecryptable notice", matrixtest.MessageFrom(ch.ghost, "could not be decrypted"))
}

// TestStatusBroadcastIgnoredByDefault: status updates (stories) create no room unless the
// admin enabled them; ordinary messages keep flowing.
func TestStatusBroadcastIgnoredByDefault(t *testing.T) {
	s := login(t, "Sta")
	peer := wafake.User(newPhone())
	c := s.u.Cursor()
	s.cli.Emit(wafake.Incoming(types.StatusBroadcastJID, peer, "Story Teller", wafake.Text("my story")))
	s.cli.Emit(wafake.Incoming(peer, peer, "Story Teller", wafake.Text("a direct message")))
	dm := s.u.WaitInvite(t, c, "the direct chat's portal", nil)
	s.u.Join(t, dm)
	s.u.WaitFor(t, dm, c, "the direct message", matrixtest.MessageFrom(bridge.GhostMXID(peer.User), "a direct message"))
	s.u.Never(t, "", c, 300*time.Millisecond, "any event carrying the status update", matrixtest.MessageFrom(bridge.GhostMXID(peer.User), "my story"))
}

func TestCallIsANotice(t *testing.T) {
	s := login(t, "Wes")
	ch, _, _ := openChat(t, s, "Xia", "calling you")
	c := s.u.Cursor()
	ch.cli.Emit(&events.CallOffer{BasicCallMeta: types.BasicCallMeta{From: ch.peer, CallCreator: ch.peer, CallID: "CALL1", Timestamp: time.Now()}})
	s.u.WaitFor(t, ch.portal, c, "the call notice", matrixtest.MessageFrom(ch.ghost, "Incoming WhatsApp voice call", "answer it on your phone"))
	// The same call offered twice (WhatsApp retries) is one notice.
	c = s.u.Cursor()
	ch.cli.Emit(&events.CallOffer{BasicCallMeta: types.BasicCallMeta{From: ch.peer, CallCreator: ch.peer, CallID: "CALL1", Timestamp: time.Now()}})
	ch.incoming(wafake.Text("after the call"))
	s.u.WaitFor(t, ch.portal, c, "the next message", matrixtest.MessageFrom(ch.ghost, "after the call"))
	s.u.Never(t, ch.portal, c, 200*time.Millisecond, "a second notice for the same call", matrixtest.MessageFrom(ch.ghost, "Incoming WhatsApp"))
}

// TestStatusBroadcastWhenEnabled: with bridge_status_broadcast on, status updates appear in a
// "WhatsApp Status" room.
func TestStatusBroadcastWhenEnabled(t *testing.T) {
	conn := bridge.Bridge.Network.(*connector.Connector)
	conn.Config.BridgeStatusBroadcast = true
	defer func() { conn.Config.BridgeStatusBroadcast = false }()
	s := login(t, "Ste")
	peer := wafake.User(newPhone())
	c := s.u.Cursor()
	s.cli.Emit(wafake.Incoming(types.StatusBroadcastJID, peer, "Story Teller", wafake.Text("sunset today")))
	room := s.u.WaitInvite(t, c, "an invite to the status room", nil)
	s.u.Join(t, room)
	s.u.WaitFor(t, room, c, "the status update", matrixtest.MessageFrom(bridge.GhostMXID(peer.User), "sunset today"))
	var name event.RoomNameEventContent
	stateOf(t, s.u, room, event.StateRoomName, &name)
	if name.Name != "WhatsApp Status" {
		t.Errorf("status room name %q, want WhatsApp Status", name.Name)
	}
}
