//go:build integration

package connector_test

import (
	"context"
	"testing"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// inThread matches a message from sender with this body in the thread of root.
func inThread(sender id.UserID, root id.EventID, body string) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return matrixtest.MessageFrom(sender, body)(x) && m.RelatesTo.GetThreadParent() == root
	}
}

// threadMessage is a Matrix message in the thread of root, answering replyTo inside it
// (empty: answering nothing, with the usual fallback to the root as Element sends it).
func threadMessage(root, replyTo id.EventID, body string) *event.MessageEventContent {
	c := &event.MessageEventContent{MsgType: event.MsgText, Body: body}
	if replyTo == "" {
		c.RelatesTo = (&event.RelatesTo{}).SetThread(root, root)
	} else {
		c.RelatesTo = (&event.RelatesTo{}).SetThread(root, replyTo)
		c.RelatesTo.IsFallingBack = false
	}
	return c
}

// TestForumTopicsAreThreads: a forum's topics become threads in its room, rooted at a notice
// naming the topic; replies inside a topic stay in its thread; Matrix thread messages go to
// the topic on Telegram.
func TestForumTopicsAreThreads(t *testing.T) {
	s := login(t, "Fio")
	ada := net.AddUser("Ada", "", "", newPhone())
	forum := net.AddForum("Cooks", ada, s.acct.User)
	ctx := context.Background()

	c := s.u.Cursor()
	if _, err := net.DeliverToChannel(ctx, forum, ada, "welcome to General"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the forum's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	general := s.u.WaitFor(t, portal, c, "the General message", matrixtest.MessageFrom(adaGhost, "welcome to General"))
	if general.Content.AsMessage().RelatesTo.GetThreadParent() != "" {
		t.Error("a General-topic message went into a thread")
	}

	topic, err := net.DeliverTopic(ctx, forum, ada, "Recipes")
	if err != nil {
		t.Fatal(err)
	}
	root := s.u.WaitFor(t, portal, c, "the new topic's notice", matrixtest.MessageFrom(adaGhost, "New topic: Recipes"))
	pastaID, err := net.DeliverToTopic(ctx, forum, ada, topic, 0, "pasta tonight")
	if err != nil {
		t.Fatal(err)
	}
	pasta := s.u.WaitFor(t, portal, c, "the topic's message in its thread", inThread(adaGhost, root.ID, "pasta tonight"))
	if _, err = net.DeliverToTopic(ctx, forum, ada, topic, pastaID, "with basil"); err != nil {
		t.Fatal(err)
	}
	answer := s.u.WaitFor(t, portal, c, "an answer inside the topic", inThread(adaGhost, root.ID, "with basil"))
	if got := answer.Content.AsMessage().RelatesTo.GetNonFallbackReplyTo(); got != pasta.ID {
		t.Errorf("the answer inside the topic replies to %q, want the pasta message %s", got, pasta.ID)
	}

	// Matrix → Telegram: into the topic, then answering a message of the topic.
	s.u.Send(t, portal, threadMessage(root.ID, "", "I'll bring wine"))
	if got := sentOf(t, "message"); got.ToChannel != forum.ID || got.ReplyTo != topic || got.TopMsgID != 0 {
		t.Errorf("thread message sent = %+v, want it in topic %d of %d", got, topic, forum.ID)
	}
	s.u.Send(t, portal, threadMessage(root.ID, pasta.ID, "count me in"))
	if got := sentOf(t, "message"); got.ToChannel != forum.ID || got.ReplyTo != pastaID || got.TopMsgID != topic {
		t.Errorf("thread reply sent = %+v, want an answer to %d in topic %d", got, pastaID, topic)
	}
}

// TestForumTopicsInBackfill: topics opened before the room existed come with the room's
// backfill, as thread roots with their messages in their threads.
func TestForumTopicsInBackfill(t *testing.T) {
	s := login(t, "Gil")
	ada := net.AddUser("Ada", "", "", newPhone())
	forum := net.AddForum("Bakers", ada, s.acct.User)
	topic := net.AddTopicHistory(forum, ada, "Sourdough")
	net.AddTopicMessageHistory(forum, ada, topic, "feed the starter daily")
	c := s.u.Cursor()
	if _, err := net.DeliverToChannel(context.Background(), forum, ada, "hello bakers"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the forum's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	root := s.u.WaitFor(t, portal, c, "the old topic's notice", matrixtest.MessageFrom(adaGhost, "New topic: Sourdough"))
	s.u.WaitFor(t, portal, c, "the old topic's message in its thread", inThread(adaGhost, root.ID, "feed the starter daily"))
	s.u.WaitFor(t, portal, c, "the live message", matrixtest.MessageFrom(adaGhost, "hello bakers"))
}
