//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/connector"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// mediaFrom matches an event of type evtType from sender whose file name (or body) is name.
func mediaFrom(evtType event.Type, sender id.UserID, name string) matrixtest.Match {
	return func(s matrixtest.Seen) bool {
		if s.Event.Type != evtType || s.Event.Sender != sender {
			return false
		}
		m := s.Event.Content.AsMessage()
		return m.GetFileName() == name
	}
}

// TestMediaFromTelegram: photos, voice notes, files, GIFs and stickers arrive as the right
// Matrix events, with the same bytes and the caption (with its formatting) as body.
func TestMediaFromTelegram(t *testing.T) {
	s := login(t, "Mia")
	peer, portal, ghost, _, _ := chatWith(t, s, "Max")
	ctx := context.Background()

	// A photo larger than one download chunk (512 KiB), with a formatted caption.
	photoData := randomBytes(t, 700*1024)
	c := s.u.Cursor()
	photo := net.AddPhoto(photoData, 1280, 960)
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaPhoto{Photo: photo}, "look at this",
		&tg.MessageEntityBold{Offset: 8, Length: 4}); err != nil {
		t.Fatal(err)
	}
	evt := s.u.WaitFor(t, portal, c, "Max's photo", matrixtest.MessageFrom(ghost, "look at this"))
	msg := evt.Content.AsMessage()
	if msg.MsgType != event.MsgImage || msg.FileName != "photo.jpg" || msg.Info == nil || msg.Info.MimeType != "image/jpeg" ||
		msg.Info.Width != 1280 || msg.Info.Size != len(photoData) {
		t.Errorf("photo content = %+v (info %+v), want an m.image photo.jpg 1280 wide, %d bytes", msg, msg.Info, len(photoData))
	}
	if !strings.Contains(msg.FormattedBody, "<strong>this</strong>") {
		t.Errorf("caption HTML %q lacks the bold word", msg.FormattedBody)
	}
	if got := s.u.Download(t, msg.URL); !bytes.Equal(got, photoData) {
		t.Errorf("the photo in Matrix has %d bytes, not the %d sent", len(got), len(photoData))
	}

	// A voice note: m.audio flagged as voice, with duration and waveform.
	voiceData := randomBytes(t, 4000)
	voice := net.AddDocument(voiceData, "audio/ogg", "", &tg.DocumentAttributeAudio{Voice: true, Duration: 3, Waveform: []byte{0xff, 0x0f, 0x00}})
	c = s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: voice}, ""); err != nil {
		t.Fatal(err)
	}
	evt = s.u.WaitFor(t, portal, c, "Max's voice note", mediaFrom(event.EventMessage, ghost, "voice.ogg"))
	msg = evt.Content.AsMessage()
	if msg.MsgType != event.MsgAudio || msg.MSC3245Voice == nil || msg.MSC1767Audio == nil || msg.MSC1767Audio.Duration != 3000 ||
		len(msg.MSC1767Audio.Waveform) != 4 || msg.Info.Duration != 3000 {
		t.Errorf("voice content = %+v (audio %+v), want m.audio with the voice flag, 3000 ms and a waveform", msg, msg.MSC1767Audio)
	}
	if got := s.u.Download(t, msg.URL); !bytes.Equal(got, voiceData) {
		t.Error("the voice note's bytes differ")
	}

	// A document with its file name, no caption.
	docData := randomBytes(t, 10_000)
	doc := net.AddDocument(docData, "application/pdf", "report.pdf")
	c = s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: doc}, ""); err != nil {
		t.Fatal(err)
	}
	evt = s.u.WaitFor(t, portal, c, "Max's PDF", mediaFrom(event.EventMessage, ghost, "report.pdf"))
	if msg = evt.Content.AsMessage(); msg.MsgType != event.MsgFile || msg.Body != "report.pdf" || msg.Info.MimeType != "application/pdf" {
		t.Errorf("file content = %+v, want m.file report.pdf", msg)
	}
	if got := s.u.Download(t, msg.URL); !bytes.Equal(got, docData) {
		t.Error("the PDF's bytes differ")
	}

	// A GIF (Telegram's silent MP4 animation).
	gif := net.AddDocument(randomBytes(t, 3000), "video/mp4", "cat.mp4", &tg.DocumentAttributeVideo{Duration: 2, W: 320, H: 240}, &tg.DocumentAttributeAnimated{})
	c = s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: gif}, ""); err != nil {
		t.Fatal(err)
	}
	evt = s.u.WaitFor(t, portal, c, "Max's GIF", mediaFrom(event.EventMessage, ghost, "cat.mp4"))
	if msg = evt.Content.AsMessage(); msg.MsgType != event.MsgVideo || !msg.Info.MauGIF {
		t.Errorf("GIF content = %+v (info %+v), want m.video with fi.mau.gif", msg, msg.Info)
	}

	// A static sticker becomes an m.sticker event with its emoji as body.
	stickerData := randomBytes(t, 2000)
	sticker := net.AddDocument(stickerData, "image/webp", "sticker.webp", &tg.DocumentAttributeSticker{Alt: "😺", Stickerset: &tg.InputStickerSetEmpty{}},
		&tg.DocumentAttributeImageSize{W: 512, H: 512})
	c = s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: sticker}, ""); err != nil {
		t.Fatal(err)
	}
	evt = s.u.WaitFor(t, portal, c, "Max's sticker", matrixtest.Type(event.EventSticker, ghost))
	if msg = evt.Content.AsMessage(); msg.Body != "😺" || msg.Info == nil || msg.Info.MimeType != "image/webp" {
		t.Errorf("sticker content = %+v, want 😺 as image/webp", msg)
	}
	if got := s.u.Download(t, msg.URL); !bytes.Equal(got, stickerData) {
		t.Error("the sticker's bytes differ")
	}

	// An animated (Lottie) sticker arrives as a file with a note.
	tgs := net.AddDocument(randomBytes(t, 1500), "application/x-tgsticker", "AnimatedSticker.tgs", &tg.DocumentAttributeSticker{Alt: "🎉", Stickerset: &tg.InputStickerSetEmpty{}})
	c = s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: tgs}, ""); err != nil {
		t.Fatal(err)
	}
	evt = s.u.WaitFor(t, portal, c, "Max's animated sticker", matrixtest.MessageFrom(ghost, "Animated sticker 🎉"))
	if msg = evt.Content.AsMessage(); msg.MsgType != event.MsgFile || msg.FileName != "AnimatedSticker.tgs" || msg.URL == "" {
		t.Errorf("animated sticker content = %+v, want an m.file AnimatedSticker.tgs", msg)
	}
}

// TestMediaFailuresBecomeNotices: a file Telegram will not hand out, or one larger than the
// homeserver accepts, becomes a notice with the caption, never a silently lost message.
func TestMediaFailuresBecomeNotices(t *testing.T) {
	s := login(t, "Nia")
	peer, portal, ghost, _, _ := chatWith(t, s, "Ned")
	ctx := context.Background()

	broken := net.AddDocument(randomBytes(t, 100), "application/zip", "broken.zip")
	net.FailDownloads(broken.ID)
	c := s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: broken}, "the archive"); err != nil {
		t.Fatal(err)
	}
	evt := s.u.WaitFor(t, portal, c, "the notice about the failed download", matrixtest.MessageFrom(ghost, "could not be bridged", "download", "the archive"))
	if evt.Content.AsMessage().MsgType != event.MsgNotice {
		t.Errorf("failure sent as %s, want m.notice", evt.Content.AsMessage().MsgType)
	}

	conn := bridge.Bridge.Network.(*connector.Connector)
	old := conn.MaxFileSize()
	conn.SetMaxFileSize(1024)
	defer conn.SetMaxFileSize(old)
	big := net.AddDocument(randomBytes(t, 4096), "application/octet-stream", "big.bin")
	c = s.u.Cursor()
	if _, err := net.DeliverMedia(ctx, s.acct, peer, &tg.MessageMediaDocument{Document: big}, ""); err != nil {
		t.Fatal(err)
	}
	evt = s.u.WaitFor(t, portal, c, "the notice about the oversized file", matrixtest.MessageFrom(ghost, "could not be bridged", "more than"))
	if evt.Content.AsMessage().MsgType != event.MsgNotice {
		t.Errorf("oversized file sent as %s, want m.notice", evt.Content.AsMessage().MsgType)
	}
}

// upload stores data in the homeserver's media repository as the test user.
func upload(t *testing.T, u *matrixtest.User, data []byte, mime, name string) id.ContentURIString {
	t.Helper()
	up, err := u.Client.UploadBytesWithName(context.Background(), data, mime, name)
	if err != nil {
		t.Fatal(err)
	}
	return up.ContentURI.CUString()
}

// TestMediaToTelegram: Matrix images, voice messages, files (small and "big", uploaded in
// parts of the big-file kind) and stickers reach Telegram with the same bytes and attributes.
func TestMediaToTelegram(t *testing.T) {
	s := login(t, "Ola")
	peer, portal, _, _, _ := chatWith(t, s, "Oscar")
	ctx := context.Background()

	// An image with a caption becomes a photo with the caption as its text.
	imgData := randomBytes(t, 300*1024)
	s.u.Send(t, portal, &event.MessageEventContent{MsgType: event.MsgImage, Body: "sunset", FileName: "sunset.jpg",
		URL: upload(t, s.u, imgData, "image/jpeg", "sunset.jpg"), Info: &event.FileInfo{MimeType: "image/jpeg", Size: len(imgData), Width: 800, Height: 600}})
	got := sentOf(t, "media")
	if got.Media != "photo" || got.To != peer.ID || got.Text != "sunset" || !bytes.Equal(got.Data, imgData) {
		t.Errorf("image sent as %s to %d with text %q and %d bytes, want a photo to %d captioned sunset with %d bytes",
			got.Media, got.To, got.Text, len(got.Data), peer.ID, len(imgData))
	}

	// A voice message.
	voiceData := randomBytes(t, 5000)
	s.u.Send(t, portal, &event.MessageEventContent{MsgType: event.MsgAudio, Body: "Voice message.ogg", FileName: "Voice message.ogg",
		URL: upload(t, s.u, voiceData, "audio/ogg", "Voice message.ogg"), Info: &event.FileInfo{MimeType: "audio/ogg", Size: len(voiceData), Duration: 4200},
		MSC3245Voice: &event.MSC3245Voice{}, MSC1767Audio: &event.MSC1767Audio{Duration: 4200, Waveform: []int{0, 512, 1024}}})
	got = sentOf(t, "media")
	var audio *tg.DocumentAttributeAudio
	for _, a := range got.Attributes {
		if a, ok := a.(*tg.DocumentAttributeAudio); ok {
			audio = a
		}
	}
	if got.Media != "document" || !got.Voice || got.MimeType != "audio/ogg" || audio == nil || audio.Duration != 4 || len(audio.Waveform) == 0 ||
		got.Text != "" || !bytes.Equal(got.Data, voiceData) {
		t.Errorf("voice sent as %+v (audio %+v), want an audio/ogg voice document of 4 s with waveform, no text, same bytes", got, audio)
	}

	// A file over 10 MB goes up in big-file parts and keeps its name.
	fileData := randomBytes(t, 10*1024*1024+1234)
	s.u.SendMedia(t, portal, event.MsgFile, "dump.bin", "application/octet-stream", fileData)
	got = sentOf(t, "media")
	if got.Media != "document" || got.FileName != "dump.bin" || got.MimeType != "application/octet-stream" || got.Text != "" || !bytes.Equal(got.Data, fileData) {
		t.Errorf("file sent as %s %q (%s) with text %q, %d bytes; want document dump.bin with the same %d bytes",
			got.Media, got.FileName, got.MimeType, got.Text, len(got.Data), len(fileData))
	}

	// A sticker (an m.sticker event, WebP) becomes a Telegram sticker.
	stickerData := randomBytes(t, 3000)
	_, err := s.u.Client.SendMessageEvent(ctx, portal, event.EventSticker, &event.MessageEventContent{Body: "cat",
		URL: upload(t, s.u, stickerData, "image/webp", "cat.webp"), Info: &event.FileInfo{MimeType: "image/webp", Width: 256, Height: 256, Size: len(stickerData)}})
	if err != nil {
		t.Fatal(err)
	}
	got = sentOf(t, "media")
	var sticker *tg.DocumentAttributeSticker
	for _, a := range got.Attributes {
		if a, ok := a.(*tg.DocumentAttributeSticker); ok {
			sticker = a
		}
	}
	if got.Media != "document" || got.MimeType != "image/webp" || sticker == nil || sticker.Alt != "cat" || !bytes.Equal(got.Data, stickerData) {
		t.Errorf("sticker sent as %+v, want a WebP document with a sticker attribute (alt cat)", got)
	}
}
