package matrixtest

import (
	"context"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// CreateDM creates a direct chat with invitee (a bridge bot or ghost) and returns the room.
func (u *User) CreateDM(t testing.TB, invitee id.UserID) id.RoomID {
	t.Helper()
	resp, err := u.Client.CreateRoom(context.Background(), &mautrix.ReqCreateRoom{
		Invite:   []id.UserID{invitee},
		IsDirect: true,
		Preset:   "trusted_private_chat",
	})
	if err != nil {
		t.Fatalf("%s: create DM with %s: %v", u.UserID, invitee, err)
	}
	return resp.RoomID
}

// Join joins a room the user was invited to.
func (u *User) Join(t testing.TB, room id.RoomID) {
	t.Helper()
	if _, err := u.Client.JoinRoomByID(context.Background(), room); err != nil {
		t.Fatalf("%s: join %s: %v", u.UserID, room, err)
	}
}

// Send sends a message event with the given content and returns its ID.
func (u *User) Send(t testing.TB, room id.RoomID, content *event.MessageEventContent) id.EventID {
	t.Helper()
	resp, err := u.Client.SendMessageEvent(context.Background(), room, event.EventMessage, content)
	if err != nil {
		t.Fatalf("%s: send %s to %s: %v", u.UserID, content.MsgType, room, err)
	}
	return resp.EventID
}

// SendText sends a plain m.text message.
func (u *User) SendText(t testing.TB, room id.RoomID, text string) id.EventID {
	t.Helper()
	return u.Send(t, room, &event.MessageEventContent{MsgType: event.MsgText, Body: text})
}

// SendHTML sends an m.text message with an HTML body and its plain-text fallback.
func (u *User) SendHTML(t testing.TB, room id.RoomID, plain, html string) id.EventID {
	t.Helper()
	return u.Send(t, room, &event.MessageEventContent{
		MsgType: event.MsgText, Body: plain, Format: event.FormatHTML, FormattedBody: html,
	})
}

// Reply sends text as a reply to target.
func (u *User) Reply(t testing.TB, room id.RoomID, target id.EventID, text string) id.EventID {
	t.Helper()
	content := &event.MessageEventContent{MsgType: event.MsgText, Body: text}
	content.RelatesTo = (&event.RelatesTo{}).SetReplyTo(target)
	return u.Send(t, room, content)
}

// Edit replaces the text of target with text (an m.replace edit).
func (u *User) Edit(t testing.TB, room id.RoomID, target id.EventID, text string) id.EventID {
	t.Helper()
	content := &event.MessageEventContent{MsgType: event.MsgText, Body: "* " + text}
	content.SetEdit(target)
	content.NewContent.Body = text
	return u.Send(t, room, content)
}

// React annotates target with key (an emoji).
func (u *User) React(t testing.TB, room id.RoomID, target id.EventID, key string) id.EventID {
	t.Helper()
	resp, err := u.Client.SendReaction(context.Background(), room, target, key)
	if err != nil {
		t.Fatalf("%s: react %q to %s: %v", u.UserID, key, target, err)
	}
	return resp.EventID
}

// Redact deletes target.
func (u *User) Redact(t testing.TB, room id.RoomID, target id.EventID) id.EventID {
	t.Helper()
	resp, err := u.Client.RedactEvent(context.Background(), room, target)
	if err != nil {
		t.Fatalf("%s: redact %s: %v", u.UserID, target, err)
	}
	return resp.EventID
}

// SendMedia uploads data and sends it as a message of msgType (m.image, m.file, m.audio,
// m.video) with the given file name and MIME type.
func (u *User) SendMedia(t testing.TB, room id.RoomID, msgType event.MessageType, name, mime string, data []byte) id.EventID {
	t.Helper()
	up, err := u.Client.UploadBytesWithName(context.Background(), data, mime, name)
	if err != nil {
		t.Fatalf("%s: upload %s (%d bytes): %v", u.UserID, name, len(data), err)
	}
	return u.Send(t, room, &event.MessageEventContent{
		MsgType:  msgType,
		Body:     name,
		FileName: name,
		URL:      up.ContentURI.CUString(),
		Info:     &event.FileInfo{MimeType: mime, Size: len(data)},
	})
}

// Download fetches the bytes behind an mxc:// URI.
func (u *User) Download(t testing.TB, uri id.ContentURIString) []byte {
	t.Helper()
	parsed, err := uri.Parse()
	if err != nil {
		t.Fatalf("%s: parse media URI %q: %v", u.UserID, uri, err)
	}
	data, err := u.Client.DownloadBytes(context.Background(), parsed)
	if err != nil {
		t.Fatalf("%s: download %s: %v", u.UserID, uri, err)
	}
	return data
}
