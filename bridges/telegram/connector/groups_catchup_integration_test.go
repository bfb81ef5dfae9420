//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestBasicGroupCatchUpAfterReconnect: a basic group's message written while the bridge is
// disconnected arrives once in the group's room after the reconnect, and the catch-up over
// the dialog list files the group under its own portal, not under a private chat with a
// user of the group's (negative) ID.
func TestBasicGroupCatchUpAfterReconnect(t *testing.T) {
	s := login(t, "Lou")
	ada := net.AddUser("Ada", "", "", newPhone())
	chat := net.AddChat("Night owls", "", ada, s.acct.User)
	ctx := context.Background()
	c := s.u.Cursor()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "anyone up?"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	s.u.WaitFor(t, portal, c, "Ada's first message", matrixtest.MessageFrom(adaGhost, "anyone up?"))

	ul := bridge.Login(itoa(s.acct.User.ID))
	ul.Client.Disconnect()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "written while you slept"); err != nil {
		t.Fatal(err)
	}
	c = s.u.Cursor()
	ul.Client.Connect(ul.Log.WithContext(ctx))
	waitState(t, s.acct, status.StateConnected)
	s.u.WaitFor(t, portal, c, "the message written during downtime", matrixtest.MessageFrom(adaGhost, "written while you slept"))
	// The difference and the dialog catch-up both see it: it must appear once.
	time.Sleep(time.Second)
	if n := countBody(s.u, portal, "written while you slept"); n != 1 {
		t.Errorf("the missed group message appeared %d times, want once", n)
	}
	bogus, err := bridge.Bridge.GetExistingPortalByKey(ctx, ids.UserPortal(-chat.ID, ul.ID))
	if err != nil {
		t.Fatal(err)
	}
	if bogus != nil {
		t.Errorf("the catch-up made a private-chat portal %s for the group's ID", bogus.ID)
	}
}
