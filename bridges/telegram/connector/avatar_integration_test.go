//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// avatarChange matches a change of the room avatar to something other than old.
func avatarChange(old id.ContentURIString) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateRoomAvatar && x.Event.Content.AsRoomAvatar().URL != old
	}
}

// TestGroupPhotoBothWays: a group's photo becomes the room avatar and a member's profile photo
// their ghost's avatar; photo changes and removals on Telegram change the room avatar, and
// the Matrix user's avatar changes reach Telegram as messages.editChatPhoto.
func TestGroupPhotoBothWays(t *testing.T) {
	s := login(t, "Rae")
	ctx := context.Background()
	ada := net.AddUser("Ada", "", "", newPhone())
	adaPhoto, groupPhoto := randomBytes(t, 20*1024), randomBytes(t, 30*1024)
	net.SetUserPhoto(ada, adaPhoto)
	chat := net.AddChat("Photographers", "", s.acct.User, ada)
	net.SetChatPhoto(chat, groupPhoto)

	c := s.u.Cursor()
	if _, err := net.DeliverToChat(ctx, s.acct, chat, ada, "say cheese"); err != nil {
		t.Fatal(err)
	}
	portal := s.u.WaitInvite(t, c, "the group's portal", nil)
	s.u.Join(t, portal)
	adaGhost := bridge.GhostMXID(itoa(ada.ID))
	s.u.WaitFor(t, portal, c, "Ada's message", matrixtest.MessageFrom(adaGhost, "say cheese"))
	var avatar event.RoomAvatarEventContent
	if err := s.u.Client.StateEvent(ctx, portal, event.StateRoomAvatar, "", &avatar); err != nil {
		t.Fatalf("read room avatar: %v", err)
	}
	if avatar.URL == "" || !bytes.Equal(s.u.Download(t, avatar.URL), groupPhoto) {
		t.Errorf("room avatar %q is not the group's photo", avatar.URL)
	}
	ghostAvatar, err := s.u.Client.GetAvatarURL(ctx, adaGhost)
	if err != nil {
		t.Fatal(err)
	}
	if ghostAvatar.IsEmpty() || !bytes.Equal(s.u.Download(t, ghostAvatar.CUString()), adaPhoto) {
		t.Errorf("Ada's ghost avatar %q is not her profile photo", ghostAvatar)
	}

	// Telegram → Matrix: Ada changes the photo, then removes it.
	newPhoto := randomBytes(t, 25*1024)
	c = s.u.Cursor()
	if err := net.DeliverService(ctx, s.acct, chat, ada, &tg.MessageActionChatEditPhoto{Photo: net.SetChatPhoto(chat, newPhoto)}); err != nil {
		t.Fatal(err)
	}
	changed := s.u.WaitFor(t, portal, c, "the new group photo", avatarChange(avatar.URL))
	if url := changed.Content.AsRoomAvatar().URL; url == "" || !bytes.Equal(s.u.Download(t, url), newPhoto) {
		t.Errorf("room avatar %q is not the new photo", url)
	}
	c = s.u.Cursor()
	if err := net.DeliverService(ctx, s.acct, chat, ada, &tg.MessageActionChatDeletePhoto{}); err != nil {
		t.Fatal(err)
	}
	s.u.WaitFor(t, portal, c, "the photo removed", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateRoomAvatar && x.Event.Content.AsRoomAvatar().URL == ""
	})

	// Matrix → Telegram: the user sets an avatar, then removes it.
	mine := randomBytes(t, 15*1024)
	url := upload(t, s.u, mine, "image/jpeg", "avatar.jpg")
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StateRoomAvatar, "", &event.RoomAvatarEventContent{URL: url}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "chatphoto"); got.ToChat != chat.ID || !bytes.Equal(got.Data, mine) {
		t.Errorf("photo change sent = %+v (%d bytes), want the %d-byte avatar in %d", got.Kind, len(got.Data), len(mine), chat.ID)
	}
	if _, err := s.u.Client.SendStateEvent(ctx, portal, event.StateRoomAvatar, "", &event.RoomAvatarEventContent{}); err != nil {
		t.Fatal(err)
	}
	if got := sentOf(t, "chatphoto"); got.ToChat != chat.ID || got.Data != nil {
		t.Errorf("photo removal sent = %+v, want no photo in %d", got, chat.ID)
	}
}
