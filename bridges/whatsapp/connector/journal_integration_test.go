//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestJournalReplayedOnConnect leaves the journal as a kill after WhatsApp's acknowledgement
// would: one message journalled but never bridged, one bridged but not yet removed. On the
// next connect both are replayed ahead of new messages, and each reaches the room once.
func TestJournalReplayedOnConnect(t *testing.T) {
	ctx := context.Background()
	s := login(t, "Journal")
	ch, _, _ := openChat(t, s, "Jo Urnal", "hello")
	conn := bridge.Bridge.Network.(*connector.Connector)
	ul := bridge.Login(s.jid.User)

	bridged := ch.incoming(wafake.Text("bridged before the kill"))
	s.u.WaitFor(t, ch.portal, 0, "the message bridged before the kill", matrixtest.MessageFrom(ch.ghost, "bridged before the kill"))

	ul.Client.Disconnect()
	lost := wafake.Incoming(ch.peer, ch.peer, "", wafake.Text("acknowledged, never bridged"))
	for _, evt := range []*events.Message{bridged, lost} {
		if err := connector.JournalMessage(ctx, conn, s.jid.User, evt); err != nil {
			t.Fatal(err)
		}
	}
	c := s.u.Cursor()
	ul.Client.Connect(ul.Log.WithContext(ctx))
	ch.incoming(wafake.Text("new after the restart"))
	s.u.WaitFor(t, ch.portal, c, "the new message", matrixtest.MessageFrom(ch.ghost, "new after the restart"))

	var bodies []string
	for _, seen := range s.u.Seen(ch.portal) {
		if seen.Event.Type == event.EventMessage && seen.Event.Sender == ch.ghost {
			bodies = append(bodies, seen.Event.Content.AsMessage().Body)
		}
	}
	want := []string{"hello", "bridged before the kill", "acknowledged, never bridged", "new after the restart"}
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Fatalf("room has %q, want each message once, in order: %q", bodies, want)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending, err := conn.Journal.Pending(ctx, s.jid.User)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d entries still journalled after they were bridged", len(pending))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
