//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// group is a WhatsApp group portal the user joined.
type group struct {
	*session
	jid    types.JID
	portal id.RoomID
	a, b   types.JID // two other members; a is an admin
}

// openGroup makes a WhatsApp group with the user (super admin) and two others; a writes in it.
func openGroup(t *testing.T, s *session, name, topic string) *group {
	t.Helper()
	g := &group{session: s, a: wafake.User(newPhone()), b: wafake.User(newPhone())}
	g.jid = types.NewJID("120363"+newPhone(), types.GroupServer)
	info := &types.GroupInfo{JID: g.jid, OwnerJID: s.jid, Participants: []types.GroupParticipant{
		{JID: s.jid, IsAdmin: true, IsSuperAdmin: true}, {JID: g.a, IsAdmin: true}, {JID: g.b},
	}}
	info.Name, info.Topic = name, topic
	net.AddGroup(info)
	c := s.u.Cursor()
	s.cli.Emit(wafake.Incoming(g.jid, g.a, "Alma", wafake.Text("welcome to "+name)))
	g.portal = s.u.WaitInvite(t, c, "an invite to the group portal", nil)
	s.u.Join(t, g.portal)
	s.u.WaitFor(t, g.portal, c, "the first group message", matrixtest.MessageFrom(bridge.GhostMXID(g.a.User), "welcome to "+name))
	return g
}

func stateOf(t *testing.T, u *matrixtest.User, room id.RoomID, typ event.Type, out any) {
	t.Helper()
	if err := u.Client.StateEvent(context.Background(), room, typ, "", out); err != nil {
		t.Fatalf("read %s of %s: %v", typ.Type, room, err)
	}
}

func TestGroupFromWhatsApp(t *testing.T) {
	s := login(t, "Gia")
	g := openGroup(t, s, "Family", "Weekend plans")
	var name event.RoomNameEventContent
	stateOf(t, s.u, g.portal, event.StateRoomName, &name)
	var topic event.TopicEventContent
	stateOf(t, s.u, g.portal, event.StateTopic, &topic)
	if name.Name != "Family" || topic.Topic != "Weekend plans" {
		t.Errorf("portal name %q topic %q, want Family / Weekend plans", name.Name, topic.Topic)
	}
	var pl event.PowerLevelsEventContent
	stateOf(t, s.u, g.portal, event.StatePowerLevels, &pl)
	if got := pl.GetUserLevel(bridge.GhostMXID(g.a.User)); got != 50 {
		t.Errorf("admin ghost power level %d, want 50", got)
	}
	if got := pl.GetUserLevel(bridge.GhostMXID(g.b.User)); got != 0 {
		t.Errorf("member ghost power level %d, want 0", got)
	}

	// Changes made on WhatsApp.
	c := s.u.Cursor()
	newcomer := wafake.User(newPhone())
	s.cli.Emit(&events.GroupInfo{
		JID: g.jid, Sender: &g.a, Timestamp: time.Now(),
		Name:    &types.GroupName{Name: "Family 🏡"},
		Topic:   &types.GroupTopic{Topic: "Sunday lunch"},
		Join:    []types.JID{newcomer},
		Leave:   []types.JID{g.b},
		Promote: []types.JID{newcomer},
	})
	s.u.WaitFor(t, g.portal, c, "the new group name", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateRoomName && x.Event.Content.AsRoomName().Name == "Family 🏡"
	})
	s.u.WaitFor(t, g.portal, c, "the new description", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateTopic && x.Event.Content.AsTopic().Topic == "Sunday lunch"
	})
	s.u.WaitFor(t, g.portal, c, "the newcomer joining", matrixtest.Membership(bridge.GhostMXID(newcomer.User), event.MembershipJoin))
	s.u.WaitFor(t, g.portal, c, "b leaving", matrixtest.Membership(bridge.GhostMXID(g.b.User), event.MembershipLeave))
	s.u.WaitFor(t, g.portal, c, "the newcomer promoted to admin", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StatePowerLevels && x.Event.Content.AsPowerLevels().GetUserLevel(bridge.GhostMXID(newcomer.User)) == 50
	})
}

func TestGroupChangesFromMatrix(t *testing.T) {
	s := login(t, "Hugo")
	g := openGroup(t, s, "Club", "")
	ctx := context.Background()
	if _, err := s.u.Client.SendStateEvent(ctx, g.portal, event.StateRoomName, "", &event.RoomNameEventContent{Name: "Chess club"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.u.Client.SendStateEvent(ctx, g.portal, event.StateTopic, "", &event.TopicEventContent{Topic: "Tuesdays"}); err != nil {
		t.Fatal(err)
	}
	waitGroup(t, g.jid, "name and description", func(info types.GroupInfo) bool {
		return info.Name == "Chess club" && info.Topic == "Tuesdays"
	})

	guest := wafake.User(newPhone())
	if _, err := s.u.Client.InviteUser(ctx, g.portal, &mautrix.ReqInviteUser{UserID: bridge.GhostMXID(guest.User)}); err != nil {
		t.Fatal(err)
	}
	waitGroup(t, g.jid, "the invited member", func(info types.GroupInfo) bool { return hasMember(info, guest) })
	if _, err := s.u.Client.KickUser(ctx, g.portal, &mautrix.ReqKickUser{UserID: bridge.GhostMXID(g.b.User), Reason: "bye"}); err != nil {
		t.Fatal(err)
	}
	waitGroup(t, g.jid, "the kicked member gone", func(info types.GroupInfo) bool { return !hasMember(info, g.b) })
}

func hasMember(info types.GroupInfo, jid types.JID) bool {
	for _, p := range info.Participants {
		if p.JID.ToNonAD() == jid.ToNonAD() {
			return true
		}
	}
	return false
}

func waitGroup(t *testing.T, jid types.JID, what string, ok func(types.GroupInfo) bool) {
	t.Helper()
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	var info types.GroupInfo
	for time.Now().Before(deadline) {
		info, _ = net.Group(jid)
		if ok(info) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("WhatsApp group %s never showed %s; it is %+v", jid, what, info)
}

// provision calls the bridge's provisioning API as user.
func provision(t *testing.T, method, path string, user id.UserID, loginID string, body, out any) int {
	t.Helper()
	var reader io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		reader = bytes.NewReader(data)
	}
	q := url.Values{"user_id": {user.String()}, "login_id": {loginID}}
	req, err := http.NewRequest(method, bridge.Config.AppService.Address+"/_matrix/provision"+path+"?"+q.Encode(), reader)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+bridge.Config.Provisioning.SharedSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode == http.StatusOK {
		if err = json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	if resp.StatusCode != http.StatusOK {
		t.Logf("%s %s: HTTP %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode
}

func TestContactListAndProvisionedGroup(t *testing.T) {
	s := login(t, "Jay")
	friend := wafake.User(newPhone())
	ctx := context.Background()
	if err := s.cli.Device.Contacts.PutContactName(ctx, friend, "Kai", "Kai Friend"); err != nil {
		t.Fatal(err)
	}
	var contacts struct {
		Contacts []struct {
			ID          string   `json:"id"`
			Name        string   `json:"name"`
			Identifiers []string `json:"identifiers"`
		} `json:"contacts"`
	}
	if code := provision(t, http.MethodGet, "/v3/contacts", s.u.UserID, s.jid.User, nil, &contacts); code != http.StatusOK {
		t.Fatalf("GET contacts: HTTP %d", code)
	}
	found := false
	for _, ct := range contacts.Contacts {
		if ct.ID == friend.User && ct.Name == "Kai Friend" {
			found = true
		}
	}
	if !found {
		t.Errorf("contact list %+v lacks Kai Friend (%s)", contacts.Contacts, friend.User)
	}

	c := s.u.Cursor()
	body := map[string]any{"name": map[string]string{"name": "Book club"}, "participants": []string{friend.User}}
	var created struct {
		ID   string    `json:"id"`
		MXID id.RoomID `json:"mxid"`
	}
	if code := provision(t, http.MethodPost, "/v3/create_group/group", s.u.UserID, s.jid.User, body, &created); code != http.StatusOK {
		t.Fatalf("POST create_group: HTTP %d", code)
	}
	jid, err := types.ParseJID(created.ID)
	if err != nil {
		t.Fatalf("created group ID %q: %v", created.ID, err)
	}
	info, ok := net.Group(jid)
	if !ok || info.Name != "Book club" || !hasMember(info, friend) || !hasMember(info, s.jid) {
		t.Fatalf("WhatsApp group = %+v (found %v), want Book club with %s and the user", info, ok, friend)
	}
	portal := s.u.WaitInvite(t, c, "an invite to the new group's portal", nil)
	if created.MXID != "" && portal != created.MXID {
		t.Errorf("invited to %s, provisioning said %s", portal, created.MXID)
	}
}

// TestCreateGroupCommand: a Matrix room with WhatsApp ghosts becomes a WhatsApp group with
// `create-group`, and the room becomes its portal.
func TestCreateGroupCommand(t *testing.T) {
	s := login(t, "Cam")
	friend := wafake.User(newPhone())
	ctx := context.Background()
	resp, err := s.u.Client.CreateRoom(ctx, &mautrix.ReqCreateRoom{
		Name:   "Hikers",
		Preset: "private_chat",
		Invite: []id.UserID{bridge.BotMXID(), bridge.GhostMXID(friend.User)},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := s.u.Cursor()
	s.u.WaitFor(t, resp.RoomID, c, "the bot joining", matrixtest.Membership(bridge.BotMXID(), event.MembershipJoin))
	s.u.SendText(t, resp.RoomID, "!wa create-group")
	waitGroupNamed := func() (types.GroupInfo, bool) {
		deadline := time.Now().Add(matrixtest.DefaultTimeout)
		for time.Now().Before(deadline) {
			for _, g := range net.GroupsOf(s.jid) {
				if g.Name == "Hikers" {
					return g, true
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		return types.GroupInfo{}, false
	}
	g, ok := waitGroupNamed()
	if !ok {
		t.Fatalf("no WhatsApp group named Hikers was created; room saw:\n%s", s.u.Describe(resp.RoomID))
	}
	if !hasMember(g, friend) {
		t.Errorf("group members %+v lack the invited ghost's account %s", g.Participants, friend)
	}
	net.DrainSent()
	s.u.SendText(t, resp.RoomID, "first post")
	if got := sent(t); got.To != g.JID || got.Message.GetConversation() != "first post" {
		t.Errorf("sent %v to %s, want the text to the new group %s", got.Message, got.To, g.JID)
	}
}

// TestAddedToGroupOnWhatsApp: being added to a group on WhatsApp creates its portal at once.
func TestAddedToGroupOnWhatsApp(t *testing.T) {
	s := login(t, "Dan")
	other := wafake.User(newPhone())
	info := types.GroupInfo{JID: types.NewJID("120363"+newPhone(), types.GroupServer), Participants: []types.GroupParticipant{{JID: other, IsSuperAdmin: true, IsAdmin: true}, {JID: s.jid}}}
	info.Name = "Surprise party"
	net.AddGroup(&info)
	c := s.u.Cursor()
	s.cli.Emit(&events.JoinedGroup{Reason: "", Type: "new", Sender: &other, GroupInfo: info})
	portal := s.u.WaitInvite(t, c, "an invite to the new group", nil)
	s.u.Join(t, portal)
	var name event.RoomNameEventContent
	stateOf(t, s.u, portal, event.StateRoomName, &name)
	if name.Name != "Surprise party" {
		t.Errorf("portal name %q, want Surprise party", name.Name)
	}
}
