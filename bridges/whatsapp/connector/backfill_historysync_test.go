package connector

import (
	"context"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waHistorySync"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

var (
	testOwn  = types.NewJID("4915100000001", types.DefaultUserServer)
	testPeer = types.NewJID("4915100000002", types.DefaultUserServer)
)

// historyClient is a connector client of the paired account testOwn, talking to a fake.
func historyClient(t *testing.T) *Client {
	t.Helper()
	dev := testOwn
	dev.Device = 1
	device := &store.Device{ID: &dev}
	login := &bridgev2.UserLogin{UserLogin: &database.UserLogin{ID: "4915100000001"}}
	return &Client{login: login, device: device, wa: wafake.New().NewClient(device, nil)}
}

func histMsg(id string, fromMe bool, ts int64, msg *waE2E.Message) *waHistorySync.HistorySyncMsg {
	return &waHistorySync.HistorySyncMsg{Message: &waWeb.WebMessageInfo{
		Key:              &waCommon.MessageKey{RemoteJID: proto.String(testPeer.String()), FromMe: proto.Bool(fromMe), ID: proto.String(id)},
		Message:          msg,
		MessageTimestamp: proto.Uint64(uint64(ts)),
	}}
}

func editOf(id string, text string) *waE2E.Message {
	return &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
		Type:          waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(),
		Key:           &waCommon.MessageKey{RemoteJID: proto.String(testPeer.String()), FromMe: proto.Bool(false), ID: proto.String(id)},
		EditedMessage: wafake.Text(text),
	}}
}

func TestParseHistoryMessages(t *testing.T) {
	wc := historyClient(t)
	conv := &waHistorySync.Conversation{ID: proto.String(testPeer.String()), Messages: []*waHistorySync.HistorySyncMsg{
		// Newest first, as WhatsApp sends them.
		histMsg("E2", false, 106, editOf("GONE", "edit of a message not in the sync")),
		histMsg("E1", false, 105, editOf("A", "first, edited")),
		histMsg("KEY", false, 104, &waE2E.Message{SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{}}),
		histMsg("R", false, 104, &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}}),
		histMsg("STUB", false, 103, nil),
		histMsg("C", true, 103, wafake.Text("mine")),
		histMsg("B", false, 102, wafake.Text("second")),
		histMsg("A", false, 101, wafake.Text("first")),
		histMsg("A", false, 101, wafake.Text("first")), // a duplicate
		{Message: nil},
	}}
	got := wc.parseHistoryMessages(context.Background(), testPeer, conv)
	want := []struct {
		id, text string
		sender   types.JID
		fromMe   bool
	}{{"A", "first, edited", testPeer, false}, {"B", "second", testPeer, false}, {"C", "mine", testOwn, true}}
	if len(got) != len(want) {
		for _, m := range got {
			t.Logf("got %s %v", m.Info.ID, m.Message)
		}
		t.Fatalf("got %d messages, want %d", len(got), len(want))
	}
	for i, w := range want {
		info := got[i].Info
		if string(info.ID) != w.id || got[i].Message.GetConversation() != w.text || info.Sender != w.sender || info.IsFromMe != w.fromMe {
			t.Errorf("message %d = %s %q from %s (me %v), want %s %q from %s (me %v)",
				i, info.ID, got[i].Message.GetConversation(), info.Sender, info.IsFromMe, w.id, w.text, w.sender, w.fromMe)
		}
	}
	if ts := got[0].Info.Timestamp; !ts.Equal(time.Unix(101, 0)) {
		t.Errorf("edited message has time %s, want its original time", ts)
	}
}

func TestHistoryReactions(t *testing.T) {
	wc := historyClient(t)
	info := types.MessageInfo{MessageSource: types.MessageSource{Chat: testPeer, Sender: testPeer}, Timestamp: time.Unix(100, 0)}
	reaction := func(fromMe bool, text string, ms int64) *waWeb.Reaction {
		return &waWeb.Reaction{
			Key:               &waCommon.MessageKey{RemoteJID: proto.String(testPeer.String()), FromMe: proto.Bool(fromMe), ID: proto.String("R")},
			Text:              proto.String(text),
			SenderTimestampMS: proto.Int64(ms),
		}
	}
	got := wc.historyReactions(info, &waWeb.WebMessageInfo{Reactions: []*waWeb.Reaction{
		reaction(false, "😂", 101_000),
		reaction(false, "❤", 102_000), // replaces the earlier one: one reaction per person
		reaction(true, "👍", 103_000),
		reaction(true, "", 104_000), // removed again
	}})
	if len(got) != 1 || got[0].Emoji != "❤" || got[0].Sender.Sender != "4915100000002" || !got[0].Timestamp.Equal(time.UnixMilli(102_000)) {
		t.Fatalf("reactions = %+v, want only the peer's latest ❤", got)
	}
}

func TestBackfillable(t *testing.T) {
	for _, tt := range []struct {
		msg  *waE2E.Message
		want bool
	}{
		{nil, false},
		{&waE2E.Message{}, false},
		{&waE2E.Message{MessageContextInfo: &waE2E.MessageContextInfo{}}, false},
		{&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{}}, false},
		{&waE2E.Message{PollUpdateMessage: &waE2E.PollUpdateMessage{}}, false},
		{wafake.Text("hi"), true},
		{&waE2E.Message{LocationMessage: &waE2E.LocationMessage{}, MessageContextInfo: &waE2E.MessageContextInfo{}}, true},
	} {
		if got := backfillable(tt.msg); got != tt.want {
			t.Errorf("backfillable(%v) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}
