//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// waitAvatar waits until get returns an mxc whose bytes equal want.
func waitAvatar(t *testing.T, u *matrixtest.User, what string, want []byte, get func() id.ContentURIString) {
	t.Helper()
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	var last id.ContentURIString
	for time.Now().Before(deadline) {
		if last = get(); last != "" && bytes.Equal(u.Download(t, last), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: avatar is %q, not the %d expected bytes", what, last, len(want))
}

func TestAvatarsFromWhatsApp(t *testing.T) {
	s := login(t, "Pic")
	peer := wafake.User(newPhone())
	first := randomBytes(t, 300)
	net.SetPicture(peer, first)
	c := s.u.Cursor()
	s.cli.Emit(wafake.Incoming(peer, peer, "Pix", wafake.Text("look at me")))
	portal := s.u.WaitInvite(t, c, "the portal", nil)
	s.u.Join(t, portal)
	ghost := bridge.GhostMXID(peer.User)
	ghostAvatar := func() id.ContentURIString {
		url, err := s.u.Client.GetAvatarURL(context.Background(), ghost)
		if err != nil || url.IsEmpty() {
			return ""
		}
		return url.CUString()
	}
	waitAvatar(t, s.u, "the ghost's first picture", first, ghostAvatar)

	second := randomBytes(t, 400)
	net.SetPicture(peer, second)
	s.cli.Emit(&events.Picture{JID: peer, Author: peer, Timestamp: time.Now()})
	waitAvatar(t, s.u, "the ghost's new picture", second, ghostAvatar)
}

func TestGroupAvatarBothWays(t *testing.T) {
	s := login(t, "Gap")
	g := &group{session: s, a: wafake.User(newPhone()), b: wafake.User(newPhone())}
	g.jid = types.NewJID("120363"+newPhone(), types.GroupServer)
	info := &types.GroupInfo{JID: g.jid, Participants: []types.GroupParticipant{{JID: s.jid, IsAdmin: true, IsSuperAdmin: true}, {JID: g.a}}}
	info.Name = "Painters"
	net.AddGroup(info)
	pic := randomBytes(t, 500)
	net.SetPicture(g.jid, pic)
	c := s.u.Cursor()
	s.cli.Emit(wafake.Incoming(g.jid, g.a, "Ada", wafake.Text("new canvas")))
	g.portal = s.u.WaitInvite(t, c, "the group portal", nil)
	s.u.Join(t, g.portal)
	roomAvatar := func() id.ContentURIString {
		var content event.RoomAvatarEventContent
		if err := s.u.Client.StateEvent(context.Background(), g.portal, event.StateRoomAvatar, "", &content); err != nil {
			return ""
		}
		return content.URL
	}
	waitAvatar(t, s.u, "the group picture", pic, roomAvatar)

	mine := randomBytes(t, 600)
	up, err := s.u.Client.UploadBytes(context.Background(), mine, "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err = s.u.Client.SendStateEvent(context.Background(), g.portal, event.StateRoomAvatar, "", &event.RoomAvatarEventContent{URL: up.ContentURI.CUString()}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	for time.Now().Before(deadline) {
		if got, _ := net.Picture(g.jid); bytes.Equal(got, mine) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the WhatsApp group picture never became the one set in Matrix")
}
