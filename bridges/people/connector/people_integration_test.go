//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gotd/td/tg"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
)

// TestDirectory walks one Matrix user through the directory: a sync across two Telegram
// networks links the contact they share by phone number, `find` names the networks a number
// is on, bad names get clear answers, changes land in the database, and a bridge that stops is
// named while the rest of the people stay listed. Throughout, the hub's config also lists a
// bridge with a wrong secret (badsecret) and one with provisioning off (tgoff), which every
// answer names without failing.
func TestDirectory(t *testing.T) {
	ctx := context.Background()
	bobPhone := newPhone()
	acct1 := net1.AddAccount("Alice", newPhone(), "24680")
	bob := net1.AddUser("Bob", "", "bob", bobPhone)
	carol1 := net1.AddUser("Carol", "", "", newPhone())
	for _, u := range []*tg.User{bob, carol1} {
		net1.AddContact(acct1, u)
	}
	acct2 := net2.AddAccount("Alice", newPhone(), "13579")
	bobby := net2.AddUser("Bobby", "", "", bobPhone)
	dave := net2.AddUser("Dave", "", "", newPhone())
	carol2 := net2.AddUser("Carol", "", "", newPhone())
	for _, u := range []*tg.User{bobby, dave, carol2} {
		net2.AddContact(acct2, u)
	}

	u := stack.NewUser(t, "alice")
	loginTelegram(t, u, tg1, acct1)
	loginTelegram(t, u, tg2, acct2)
	room := hubRoom(t, u)
	bot := hub.BotMXID()

	body := ask(t, u, bot, room, "sync", "Read the contacts of")
	has(t, "sync", body,
		"telegram (2 new, 0 linked by phone number)", "telegram2 (2 new, 1 linked by phone number)",
		"Could not read the contacts of 2 bridges",
		"badsecret: the bridge refused the hub's shared secret",
		"tgoff: the bridge's provisioning API is turned off",
		"4 people")
	d, err := conn.Store.Load(ctx, u.UserID)
	if err != nil {
		t.Fatalf("load people: %v", err)
	}
	bobP := onePerson(t, d, "+"+bobPhone)
	if got := bobP.Networks(); !slices.Equal(got, []string{"telegram", "telegram2"}) {
		t.Fatalf("Bob is on %q, want telegram and telegram2", got)
	}
	carols := d.Find("carol")
	if len(carols) != 2 {
		t.Fatalf("%d people called Carol, want 2 (one per network, not linked: different numbers)", len(carols))
	}

	t.Run("people", func(t *testing.T) {
		body := ask(t, u, bot, room, "people", "4 people")
		has(t, "people", body, fmt.Sprintf("(#%d): telegram, telegram2", bobP.ID), "Dave", "Maybe the same person", "same name",
			fmt.Sprintf("link #%d #%d", carols[0].ID, carols[1].ID))
		ask(t, u, bot, room, "people two", "Usage:", "people [page]")
	})
	t.Run("person", func(t *testing.T) {
		has(t, "person bob", ask(t, u, bot, room, "person bob", "+"+bobPhone), "telegram: Bob", "telegram2: Bobby", "@bob")
		has(t, "person carol", ask(t, u, bot, room, "person carol", "could be 2 people"),
			fmt.Sprintf("(#%d): telegram", carols[0].ID), fmt.Sprintf("(#%d): telegram2", carols[1].ID))
		ask(t, u, bot, room, "person zed", "Nobody called “zed” among your people")
		ask(t, u, bot, room, "person", "Usage:")
	})
	t.Run("find", func(t *testing.T) {
		spaced := "+" + bobPhone[:4] + " " + bobPhone[4:]
		body := ask(t, u, bot, room, "find "+spaced, "is on 2 networks")
		has(t, "find", body, "telegram: Bob", "telegram2: Bobby",
			"badsecret: the bridge refused the hub's shared secret", "tgoff: the bridge's provisioning API is turned off",
			"Among your people")
		body = ask(t, u, bot, room, "find +15559999999", "is on none of the networks that answered")
		has(t, "find of an unknown number", body, "Not on: telegram, telegram2.")
		ask(t, u, bot, room, "find 0151 1234", "an international number")
	})
	t.Run("changes", func(t *testing.T) {
		a, b := carols[0].ID, carols[1].ID
		ask(t, u, bot, room, fmt.Sprintf("link #%d #%d", a, b), "Linked", "telegram, telegram2")
		ask(t, u, bot, room, "link carol carol", "Nothing changed: that is the same person")
		ask(t, u, bot, room, "prefer carol telegram2", "is now reached on telegram2")
		ask(t, u, bot, room, "prefer dave telegram", "Nothing changed: Dave is on telegram2 only")
		ask(t, u, bot, room, "unlink carol telegram2", "on its own")
		d, err := conn.Store.Load(ctx, u.UserID)
		if err != nil {
			t.Fatalf("load people: %v", err)
		}
		if d.Person(b) != nil {
			t.Errorf("Carol #%d is still there after it was linked into #%d", b, a)
		}
		split := d.Find("carol")
		if len(split) != 2 {
			t.Fatalf("%d Carols after unlink, want 2", len(split))
		}
		other := split[0]
		if other.ID == a {
			other = split[1]
		}
		ask(t, u, bot, room, fmt.Sprintf(`rename #%d "Carol Two"`, other.ID), "Renamed", "Carol Two")
		if d, err = conn.Store.Load(ctx, u.UserID); err != nil {
			t.Fatalf("load people: %v", err)
		}
		if p := d.Person(a); p == nil || p.Preferred != "" || !slices.Equal(p.Networks(), []string{"telegram"}) {
			t.Errorf("Carol #%d after unlink: %+v, want on telegram alone, nothing preferred", a, p)
		}
		if got := d.Find("Carol Two"); len(got) != 1 || !slices.Equal(got[0].Networks(), []string{"telegram2"}) {
			t.Errorf("the renamed Carol: %+v, want one person on telegram2", got)
		}
	})
	t.Run("open", func(t *testing.T) {
		c := u.Cursor()
		body := ask(t, u, bot, room, "open bob telegram2", "Your telegram2 chat with")
		invited := u.WaitInvite(t, c, "the invite to the telegram2 chat with Bobby", nil)
		has(t, "open", body, string(invited))
		ask(t, u, bot, room, "open +15559999999 telegram", "Could not open the chat on telegram: nobody there has that number or name")
		ask(t, u, bot, room, "open +15559999999", "Say on which network")
		ask(t, u, bot, room, "open dave telegram", "is not on telegram: only on telegram2")
	})
	t.Run("restart", func(t *testing.T) {
		// The hub's people are in its database: a restarted hub lists them as before.
		before, err := conn.Store.Load(ctx, u.UserID)
		if err != nil {
			t.Fatalf("load people: %v", err)
		}
		hub.Stop()
		if err = hub.Start(ctx); err != nil {
			t.Fatalf("restart the hub: %v", err)
		}
		after, err := conn.Store.Load(ctx, u.UserID)
		if err != nil {
			t.Fatalf("load people after the restart: %v", err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("people after a restart:\n%+v\nwant\n%+v", after, before)
		}
		ask(t, u, bot, room, "people", fmt.Sprintf("(#%d): telegram, telegram2", bobP.ID), "Carol Two")
	})
	t.Run("forget", func(t *testing.T) {
		people, contacts, err := conn.Store.Counts(ctx, u.UserID)
		if err != nil {
			t.Fatalf("count: %v", err)
		}
		ask(t, u, bot, room, "forget bob", "Forgot", "2 contacts")
		p2, c2, err := conn.Store.Counts(ctx, u.UserID)
		if err != nil {
			t.Fatalf("count: %v", err)
		}
		if p2 != people-1 || c2 != contacts-2 {
			t.Errorf("after forget: %d people, %d contacts in the database; want %d, %d", p2, c2, people-1, contacts-2)
		}
		d, err := conn.Store.Load(ctx, u.UserID)
		if err != nil {
			t.Fatalf("load people: %v", err)
		}
		if got := d.Find("+" + bobPhone); len(got) != 0 {
			t.Errorf("Bob is still there after forget: %+v", got[0])
		}
	})
	t.Run("someone else", func(t *testing.T) {
		// Another Matrix user sees none of Alice's people and is told where they are not
		// logged in.
		other := stack.NewUser(t, "mallory")
		room := hubRoom(t, other)
		body := ask(t, other, bot, room, "people", "You have no people yet")
		has(t, "people of another user", body, "You are not logged in on telegram, telegram2", "log in with their bots")
		ask(t, other, bot, room, "login", "needs no login of its own", "telegram, telegram2, badsecret, tgoff")
		has(t, "help", ask(t, other, bot, room, "help", "People"), "find", "prefer", "forget")
		if p, c, err := conn.Store.Counts(ctx, other.UserID); err != nil || p != 0 || c != 0 {
			t.Errorf("the other user has %d people, %d contacts (%v); want none", p, c, err)
		}
	})
	t.Run("bridge down", func(t *testing.T) {
		if err := tg2.Stop(10 * time.Second); err != nil {
			t.Fatalf("stop telegram2: %v", err)
		}
		body := ask(t, u, bot, room, "sync", "Could not read the contacts of")
		has(t, "sync with telegram2 down", body, "telegram (1 new, 0 linked by phone number)",
			"telegram2: the bridge does not answer", "Dave", "Carol Two")
		// What telegram2 had listed stays: Dave is still on telegram2.
		d, err := conn.Store.Load(ctx, u.UserID)
		if err != nil {
			t.Fatalf("load people: %v", err)
		}
		if got := d.Find("dave"); len(got) != 1 || !slices.Equal(got[0].Networks(), []string{"telegram2"}) {
			t.Errorf("Dave after a sync without telegram2: %+v, want on telegram2", got)
		}
		ask(t, u, bot, room, "find +"+bobPhone, "telegram2: the bridge does not answer", "telegram: Bob")
		// Back up, telegram2 is read again.
		if err := tg2.Start(); err != nil {
			t.Fatalf("start telegram2 again: %v", err)
		}
		if err := waitConnected(tg2, u.UserID); err != nil {
			t.Fatal(err)
		}
		body = ask(t, u, bot, room, "sync", "Read the contacts of")
		has(t, "sync with telegram2 back", body, "telegram2 (0 new, 1 linked by phone number)")
	})
}

// onePerson returns the one person with this phone number, failing the test otherwise.
func onePerson(t *testing.T, d *directory.Directory, phone string) *directory.Person {
	t.Helper()
	var out []*directory.Person
	for _, p := range d.People {
		for _, c := range p.Contacts {
			if c.Phone == phone {
				out = append(out, p)
				break
			}
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d people with %s, want 1: %+v", len(out), phone, out)
	}
	return out[0]
}
