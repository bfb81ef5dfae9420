//go:build integration

package connector_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestStartChatAndContacts: `start-chat` finds people by username or phone and opens a private
// chat with them; the contact list lists the account's saved contacts.
func TestStartChatAndContacts(t *testing.T) {
	s := login(t, "Mo")
	username := "nianoor" + newPhone()[4:] // unique, so the test can run repeatedly on one fake
	nia := net.AddUser("Nia", "Noor", username, newPhone())
	phone := newPhone()
	oli := net.AddUser("Oli", "", "", phone)

	c := s.u.Cursor()
	command(t, s.u, s.room, "start-chat @"+username, "")
	portal := s.u.WaitInvite(t, c, "the chat with Nia", nil)
	s.u.Join(t, portal)
	s.u.SendText(t, portal, "found you, Nia")
	if got := sentOf(t, "message"); got.To != nia.ID || got.Text != "found you, Nia" {
		t.Errorf("sent %+v, want the text to Nia (%d)", got, nia.ID)
	}

	c = s.u.Cursor()
	command(t, s.u, s.room, "start-chat +"+phone, "")
	portal = s.u.WaitInvite(t, c, "the chat with Oli", nil)
	s.u.Join(t, portal)
	s.u.SendText(t, portal, "hello Oli")
	if got := sentOf(t, "message"); got.To != oli.ID {
		t.Errorf("sent %+v, want Oli (%d)", got, oli.ID)
	}

	command(t, s.u, s.room, "start-chat @nobody_has_this", "No Telegram user has that username")

	net.AddContact(s.acct, nia)
	q := url.Values{"user_id": {s.u.UserID.String()}, "login_id": {itoa(s.acct.User.ID)}}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, bridge.Config.AppService.Address+"/_matrix/provision/v3/contacts?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+bridge.Config.Provisioning.SharedSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var list struct {
		Contacts []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"contacts"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil {
		t.Fatalf("GET contacts: HTTP %d %s", resp.StatusCode, body)
	}
	if len(list.Contacts) != 1 || list.Contacts[0].ID != itoa(nia.ID) || list.Contacts[0].Name != "Nia Noor" {
		t.Errorf("contacts = %+v, want only Nia Noor (%d)", list.Contacts, nia.ID)
	}
}

// TestStartChatJoinsPublicChannel: `start-chat @name` of a public channel joins it on Telegram
// and opens its room, where the next post arrives.
func TestStartChatJoinsPublicChannel(t *testing.T) {
	s := login(t, "Pia")
	owner := net.AddUser("Owner", "", "", newPhone())
	channel := net.AddBroadcast("Town news", "", owner)
	name := "townnews" + newPhone()[4:]
	net.MakePublic(channel, name)

	c := s.u.Cursor()
	command(t, s.u, s.room, "start-chat @"+name, "Created chat with")
	if got := sentOf(t, "join"); got.ToChannel != channel.ID || got.From != s.acct.User.ID {
		t.Errorf("sent %+v, want the account to join channel %d", got, channel.ID)
	}
	portal := s.u.WaitInvite(t, c, "the channel's room", nil)
	s.u.Join(t, portal)
	if _, err := net.DeliverToChannel(context.Background(), channel, nil, "road works on Monday"); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the channel's next post", matrixtest.MessageFrom(bridge.GhostMXID("channel-"+itoa(channel.ID)), "road works on Monday"))
}
