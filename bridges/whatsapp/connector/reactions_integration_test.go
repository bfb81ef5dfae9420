//go:build integration

package connector_test

import (
	"testing"

	"go.mau.fi/util/variationselector"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

func TestReactionsBothWays(t *testing.T) {
	s := login(t, "Ida")
	ch, hello, helloEvt := openChat(t, s, "Jo", "news")
	net.DrainSent()
	mine := s.u.SendText(t, ch.portal, "nice")
	myMsg := sent(t)

	c := s.u.Cursor()
	ch.incoming(&waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
		Key:  &waCommon.MessageKey{RemoteJID: proto.String(ch.peer.String()), FromMe: proto.Bool(false), ID: proto.String(string(myMsg.ID))},
		Text: proto.String("👍"),
	}})
	r := s.u.WaitFor(t, ch.portal, c, "Jo's reaction", matrixtest.Type(event.EventReaction, ch.ghost))
	if rel := r.Content.AsReaction().RelatesTo; rel.EventID != mine || variationselector.Remove(rel.Key) != "👍" {
		t.Errorf("reaction %q on %s, want 👍 on %s", rel.Key, rel.EventID, mine)
	}

	myReaction := s.u.React(t, ch.portal, helloEvt.ID, "❤️")
	got := sent(t).Message.GetReactionMessage()
	if got.GetKey().GetID() != string(hello.Info.ID) || got.GetText() != variationselector.Remove("❤️") {
		t.Errorf("reaction sent = %v, want ❤ on %s", got, hello.Info.ID)
	}
	s.u.Redact(t, ch.portal, myReaction)
	if got = sent(t).Message.GetReactionMessage(); got.GetKey().GetID() != string(hello.Info.ID) || got.GetText() != "" {
		t.Errorf("reaction removal sent = %v, want an empty reaction on %s", got, hello.Info.ID)
	}
}
