//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestUpdatesTheBridgeCannotUse: an update of a type Telegram's schema in this bridge does not
// know, and known updates the bridge has no use for, change nothing; the chat goes on.
func TestUpdatesTheBridgeCannotUse(t *testing.T) {
	s := login(t, "Una")
	peer, portal, ghost, _, _ := chatWith(t, s, "Ulf")
	ctx := context.Background()
	c := s.u.Cursor()
	if err := net.DeliverUndecodable(ctx, s.acct); err != nil {
		t.Fatal(err)
	}
	if err := net.DeliverUnknownUpdate(ctx, s.acct); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Deliver(ctx, s.acct, peer, "still here?"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the next message", matrixtest.MessageFrom(ghost, "still here?"))
	s.u.SendText(t, portal, "yes")
	if got := sentOf(t, "message"); got.To != peer.ID || got.Text != "yes" {
		t.Errorf("sent = %+v, want the answer to reach Telegram", got)
	}
}

// TestEntitiesOutOfRange: formatting that points past the text (in UTF-16 units) is clipped
// or dropped; the text arrives whole.
func TestEntitiesOutOfRange(t *testing.T) {
	s := login(t, "Oda")
	peer, portal, ghost, _, _ := chatWith(t, s, "Otto")
	c := s.u.Cursor()
	text := "héllo 👋 world" // 👋 is two UTF-16 units
	entities := []tg.MessageEntityClass{
		&tg.MessageEntityBold{Offset: 0, Length: 500},        // runs past the end: clipped
		&tg.MessageEntityItalic{Offset: 400, Length: 3},      // starts past the end: dropped
		&tg.MessageEntityCode{Offset: -4, Length: 2},         // negative: dropped
		&tg.MessageEntityUnderline{Offset: 7, Length: 1},     // half of the emoji's surrogate pair
		&tg.MessageEntityStrike{Offset: 2, Length: -1 << 30}, // negative length: dropped
	}
	if _, err := net.DeliverFormatted(context.Background(), s.acct, peer, text, entities); err != nil {
		t.Fatal(err)
	}
	got := s.u.WaitFor(t, portal, c, "the message with broken entities", matrixtest.MessageFrom(ghost, text))
	if m := got.Content.AsMessage(); m.Body != text {
		t.Errorf("body %q, want the whole text %q", m.Body, text)
	}
}

// TestUploadSurvivesDroppedConnection: the connection to Telegram drops in the middle of a
// file upload; the bridge reconnects and the file still reaches Telegram whole, once.
func TestUploadSurvivesDroppedConnection(t *testing.T) {
	s := login(t, "Dora")
	peer, portal, _, _, _ := chatWith(t, s, "Dirk")
	data := randomBytes(t, 1024*1024+77) // several parts
	dropped := net.DroppedConnections()
	net.DropConnectionOnNextUpload()
	s.u.SendMedia(t, portal, event.MsgFile, "report.pdf", "application/pdf", data)
	got := sentOf(t, "media")
	if got.To != peer.ID || got.FileName != "report.pdf" || !bytes.Equal(got.Data, data) {
		t.Errorf("file sent as %q to %d with %d bytes, want report.pdf to %d with the same %d bytes",
			got.FileName, got.To, len(got.Data), peer.ID, len(data))
	}
	if net.DroppedConnections() != dropped+1 {
		t.Error("the fake did not drop the connection during the upload")
	}
}
