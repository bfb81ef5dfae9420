//go:build integration

package connector_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.mau.fi/util/jsontime"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

func TestDisappearingMessages(t *testing.T) {
	s := login(t, "Dot")
	ch, _, _ := openChat(t, s, "Eli", "secrets ahead")

	// The contact turns on disappearing messages (24 hours) on WhatsApp.
	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
		Type: waE2E.ProtocolMessage_EPHEMERAL_SETTING.Enum(), EphemeralExpiration: proto.Uint32(86400),
	}})
	timer := s.u.WaitFor(t, ch.portal, c, "the disappearing timer", matrixtest.Type(event.StateBeeperDisappearingTimer, ""))
	var got event.BeeperDisappearingTimer
	if err := json.Unmarshal(timer.Content.VeryRaw, &got); err != nil {
		t.Fatalf("timer content %s: %v", timer.Content.VeryRaw, err)
	}
	if got.Type != event.DisappearingTypeAfterSend || got.Timer.Duration != 24*time.Hour {
		t.Errorf("timer = %+v, want after_send 24h", got)
	}

	// A message sent with an expiration is removed from Matrix when it expires.
	c = s.u.Cursor()
	ch.incoming(wafake.ExtendedText("gone soon", &waE2E.ContextInfo{Expiration: proto.Uint32(2)}))
	msg := s.u.WaitFor(t, ch.portal, c, "the expiring message", matrixtest.MessageFrom(ch.ghost, "gone soon"))
	s.u.WaitFor(t, ch.portal, c, "the expired message's removal", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.EventRedaction && (x.Event.Redacts == msg.ID || x.Event.Content.AsRedaction().Redacts == msg.ID)
	})

	// The user sets a 7-day timer in Matrix; WhatsApp gets it.
	if _, err := s.u.Client.SendStateEvent(context.Background(), ch.portal, event.StateBeeperDisappearingTimer, "", &event.BeeperDisappearingTimer{
		Type: event.DisappearingTypeAfterSend, Timer: jsontime.MS(7 * 24 * time.Hour),
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	for net.DisappearingTimer(ch.peer) != 7*24*time.Hour && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := net.DisappearingTimer(ch.peer); got != 7*24*time.Hour {
		t.Errorf("WhatsApp timer = %s, want 168h", got)
	}
}
