//go:build integration

package connector_test

import (
	"context"
	"slices"
	"testing"
)

// TestSyncAll is what the periodic sync (network.sync_every) runs: a contact added on a network
// after the user's last sync joins the user's people, and a contact sharing a number with one
// of them joins that person.
func TestSyncAll(t *testing.T) {
	ctx := context.Background()
	acct1 := net1.AddAccount("Cleo", newPhone(), "55555")
	net1.AddContact(acct1, net1.AddUser("Finn", "", "", newPhone()))
	acct2 := net2.AddAccount("Cleo", newPhone(), "66666")
	u := stack.NewUser(t, "cleo")
	loginTelegram(t, u, tg1, acct1)
	loginTelegram(t, u, tg2, acct2)
	room := hubRoom(t, u)
	ask(t, u, hub.BotMXID(), room, "people", "1 person", "Finn")

	gus := newPhone()
	net1.AddContact(acct1, net1.AddUser("Gus", "", "", gus))
	net2.AddContact(acct2, net2.AddUser("Gustav", "", "", gus))
	n, err := conn.SyncAll(ctx)
	if err != nil {
		t.Fatalf("sync everyone: %v", err)
	}
	if n == 0 {
		t.Fatal("SyncAll synced nobody")
	}
	d, err := conn.Store.Load(ctx, u.UserID)
	if err != nil {
		t.Fatalf("load people: %v", err)
	}
	if len(d.People) != 2 {
		t.Errorf("%d people after the sync, want Finn and Gus", len(d.People))
	}
	if got := onePerson(t, d, "+"+gus).Networks(); !slices.Equal(got, []string{"telegram", "telegram2"}) {
		t.Errorf("Gus is on %q, want telegram and telegram2", got)
	}
}
