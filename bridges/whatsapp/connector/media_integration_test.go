//go:build integration

package connector_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
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

// TestMediaFromWhatsApp: every kind of WhatsApp file arrives in Matrix with its bytes, type,
// name and caption intact.
func TestMediaFromWhatsApp(t *testing.T) {
	s := login(t, "Mia")
	ch, _, _ := openChat(t, s, "Nia", "files incoming")
	tests := []struct {
		name    string
		build   func(path string, sha, key []byte, size uint64) *waE2E.Message
		evtType event.Type
		check   func(t *testing.T, c *event.MessageEventContent)
	}{
		{"image with caption", func(p string, sha, key []byte, n uint64) *waE2E.Message {
			return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{DirectPath: proto.String(p), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(n),
				Mimetype: proto.String("image/jpeg"), Caption: proto.String("*look*"), Width: proto.Uint32(640), Height: proto.Uint32(480)}}
		}, event.EventMessage, func(t *testing.T, c *event.MessageEventContent) {
			if c.MsgType != event.MsgImage || c.Info.MimeType != "image/jpeg" || c.Info.Width != 640 || c.FormattedBody != "<strong>look</strong>" || c.FileName != "image.jpg" {
				t.Errorf("image content = %s %s %dx%d caption %q file %q", c.MsgType, c.Info.MimeType, c.Info.Width, c.Info.Height, c.FormattedBody, c.FileName)
			}
		}},
		{"gif", func(p string, sha, key []byte, n uint64) *waE2E.Message {
			return &waE2E.Message{VideoMessage: &waE2E.VideoMessage{DirectPath: proto.String(p), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(n),
				Mimetype: proto.String("video/mp4"), GifPlayback: proto.Bool(true), Seconds: proto.Uint32(3)}}
		}, event.EventMessage, func(t *testing.T, c *event.MessageEventContent) {
			if c.MsgType != event.MsgVideo || !c.Info.MauGIF || c.Info.Duration != 3000 {
				t.Errorf("gif content = %s gif=%v duration=%d", c.MsgType, c.Info.MauGIF, c.Info.Duration)
			}
		}},
		{"voice note", func(p string, sha, key []byte, n uint64) *waE2E.Message {
			return &waE2E.Message{AudioMessage: &waE2E.AudioMessage{DirectPath: proto.String(p), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(n),
				Mimetype: proto.String("audio/ogg; codecs=opus"), PTT: proto.Bool(true), Seconds: proto.Uint32(7), Waveform: []byte{0, 50, 100}}}
		}, event.EventMessage, func(t *testing.T, c *event.MessageEventContent) {
			if c.MsgType != event.MsgAudio || c.MSC3245Voice == nil || c.MSC1767Audio == nil || c.MSC1767Audio.Duration != 7000 || c.MSC1767Audio.Waveform[2] != 1024 {
				t.Errorf("voice content = %s voice=%v audio=%+v", c.MsgType, c.MSC3245Voice, c.MSC1767Audio)
			}
		}},
		{"document", func(p string, sha, key []byte, n uint64) *waE2E.Message {
			return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{DirectPath: proto.String(p), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(n),
				Mimetype: proto.String("application/pdf"), FileName: proto.String("report.pdf")}}
		}, event.EventMessage, func(t *testing.T, c *event.MessageEventContent) {
			if c.MsgType != event.MsgFile || c.FileName != "report.pdf" || c.Body != "report.pdf" || c.Info.MimeType != "application/pdf" {
				t.Errorf("document content = %s file %q body %q mime %s", c.MsgType, c.FileName, c.Body, c.Info.MimeType)
			}
		}},
		{"animated sticker", func(p string, sha, key []byte, n uint64) *waE2E.Message {
			return &waE2E.Message{StickerMessage: &waE2E.StickerMessage{DirectPath: proto.String(p), FileSHA256: sha, MediaKey: key, FileLength: proto.Uint64(n),
				Mimetype: proto.String("image/webp"), IsAnimated: proto.Bool(true), Width: proto.Uint32(512), Height: proto.Uint32(512)}}
		}, event.EventSticker, func(t *testing.T, c *event.MessageEventContent) {
			if c.Info.MimeType != "image/webp" || !c.Info.IsAnimated || c.Info.Width != 512 {
				t.Errorf("sticker info = %+v", c.Info)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := randomBytes(t, 4096)
			path, sha, key := net.AddMedia(data)
			c := s.u.Cursor()
			ch.incoming(tt.build(path, sha, key, uint64(len(data))))
			evt := s.u.WaitFor(t, ch.portal, c, "the "+tt.name, matrixtest.Type(tt.evtType, ch.ghost))
			content := evt.Content.AsMessage()
			if got := s.u.Download(t, content.URL); !bytes.Equal(got, data) {
				t.Errorf("Matrix file has %d bytes, not the %d WhatsApp sent", len(got), len(data))
			}
			if content.Info == nil || content.Info.Size != len(data) {
				t.Errorf("info.size = %+v, want %d", content.Info, len(data))
			}
			tt.check(t, content)
		})
	}
}

// TestMediaToWhatsApp: Matrix files reach WhatsApp as the right kind of message with the same bytes.
func TestMediaToWhatsApp(t *testing.T) {
	s := login(t, "Oli")
	ch, _, _ := openChat(t, s, "Pam", "send me things")
	tests := []struct {
		name    string
		content func(up string, n int) *event.MessageEventContent
		evtType event.Type
		check   func(t *testing.T, m *waE2E.Message) (path string)
	}{
		{"image with caption", func(url string, n int) *event.MessageEventContent {
			return &event.MessageEventContent{MsgType: event.MsgImage, Body: "a **view**", Format: event.FormatHTML, FormattedBody: "a <b>view</b>", FileName: "view.png", URL: urlOf(url), Info: &event.FileInfo{MimeType: "image/png", Size: n, Width: 10, Height: 20}}
		}, event.EventMessage, func(t *testing.T, m *waE2E.Message) string {
			img := m.GetImageMessage()
			if img.GetMimetype() != "image/png" || img.GetCaption() != "a *view*" || img.GetWidth() != 10 {
				t.Errorf("image = %v", img)
			}
			return img.GetDirectPath()
		}},
		{"voice", func(url string, n int) *event.MessageEventContent {
			return &event.MessageEventContent{MsgType: event.MsgAudio, Body: "voice.ogg", URL: urlOf(url), MSC3245Voice: &event.MSC3245Voice{},
				MSC1767Audio: &event.MSC1767Audio{Duration: 4000}, Info: &event.FileInfo{MimeType: "audio/ogg", Size: n, Duration: 4000}}
		}, event.EventMessage, func(t *testing.T, m *waE2E.Message) string {
			a := m.GetAudioMessage()
			if !a.GetPTT() || a.GetSeconds() != 4 || a.GetMimetype() != "audio/ogg" {
				t.Errorf("voice = %v", a)
			}
			return a.GetDirectPath()
		}},
		{"video with caption", func(url string, n int) *event.MessageEventContent {
			return &event.MessageEventContent{MsgType: event.MsgVideo, Body: "our trip", FileName: "trip.mp4", URL: urlOf(url), Info: &event.FileInfo{MimeType: "video/mp4", Size: n, Duration: 12000, Width: 1280, Height: 720}}
		}, event.EventMessage, func(t *testing.T, m *waE2E.Message) string {
			v := m.GetVideoMessage()
			if v.GetMimetype() != "video/mp4" || v.GetCaption() != "our trip" || v.GetSeconds() != 12 || v.GetWidth() != 1280 || v.GetGifPlayback() {
				t.Errorf("video = %v", v)
			}
			return v.GetDirectPath()
		}},
		{"music", func(url string, n int) *event.MessageEventContent {
			return &event.MessageEventContent{MsgType: event.MsgAudio, Body: "song.mp3", URL: urlOf(url), Info: &event.FileInfo{MimeType: "audio/mpeg", Size: n, Duration: 180000}}
		}, event.EventMessage, func(t *testing.T, m *waE2E.Message) string {
			a := m.GetAudioMessage()
			if a.GetPTT() || a.GetMimetype() != "audio/mpeg" || a.GetSeconds() != 180 {
				t.Errorf("audio = %v", a)
			}
			return a.GetDirectPath()
		}},
		{"file", func(url string, n int) *event.MessageEventContent {
			return &event.MessageEventContent{MsgType: event.MsgFile, Body: "notes.txt", FileName: "notes.txt", URL: urlOf(url), Info: &event.FileInfo{MimeType: "text/plain", Size: n}}
		}, event.EventMessage, func(t *testing.T, m *waE2E.Message) string {
			d := m.GetDocumentMessage()
			if d.GetFileName() != "notes.txt" || d.GetMimetype() != "text/plain" || d.Caption != nil {
				t.Errorf("document = %v", d)
			}
			return d.GetDirectPath()
		}},
		{"sticker", func(url string, n int) *event.MessageEventContent {
			return &event.MessageEventContent{Body: "wave", URL: urlOf(url), Info: &event.FileInfo{MimeType: "image/webp", Size: n, Width: 512, Height: 512}}
		}, event.EventSticker, func(t *testing.T, m *waE2E.Message) string {
			st := m.GetStickerMessage()
			if st.GetMimetype() != "image/webp" || st.GetWidth() != 512 {
				t.Errorf("sticker = %v", st)
			}
			return st.GetDirectPath()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := randomBytes(t, 2048)
			up, err := s.u.Client.UploadBytes(context.Background(), data, "application/octet-stream")
			if err != nil {
				t.Fatal(err)
			}
			net.DrainSent()
			if _, err = s.u.Client.SendMessageEvent(context.Background(), ch.portal, tt.evtType, tt.content(string(up.ContentURI.CUString()), len(data))); err != nil {
				t.Fatal(err)
			}
			got := sent(t)
			path := tt.check(t, got.Message)
			if stored, ok := net.Media(path); !ok || !bytes.Equal(stored, data) {
				t.Errorf("WhatsApp got %d bytes at %q, want the %d the user uploaded", len(stored), path, len(data))
			}
		})
	}
}

// TestMediaFailures: failed transfers and oversized files end in notices, never silence.
func TestMediaFailures(t *testing.T) {
	s := login(t, "Rex")
	ch, _, _ := openChat(t, s, "Sue", "hi")
	bridge.Bridge.Network.(*connector.Connector).SetMaxFileSize(100 << 20)
	image := func(path string, size uint64) *waE2E.Message {
		return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{DirectPath: proto.String(path), FileLength: proto.Uint64(size), Mimetype: proto.String("image/jpeg")}}
	}

	c := s.u.Cursor()
	ch.incoming(image("/fake/missing", 10))
	s.u.WaitFor(t, ch.portal, c, "a notice about the failed download", matrixtest.MessageFrom(ch.ghost, "Failed to download the WhatsApp image"))

	c = s.u.Cursor()
	ch.incoming(image("/fake/huge", 200<<20))
	s.u.WaitFor(t, ch.portal, c, "a notice about the oversized image", matrixtest.MessageFrom(ch.ghost, "too large to bridge", "200.0 MiB"))

	net.FailUpload = errors.New("media server unavailable")
	defer func() { net.FailUpload = nil }()
	up, err := s.u.Client.UploadBytes(context.Background(), randomBytes(t, 100), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	c = s.u.Cursor()
	s.u.Send(t, ch.portal, &event.MessageEventContent{MsgType: event.MsgImage, Body: "x.png", URL: up.ContentURI.CUString(), Info: &event.FileInfo{MimeType: "image/png", Size: 100}})
	s.u.WaitFor(t, ch.portal, c, "a notice about the failed upload", matrixtest.MessageFrom(bridge.BotMXID(), "media server unavailable"))

	c = s.u.Cursor()
	s.u.Send(t, ch.portal, &event.MessageEventContent{MsgType: event.MsgFile, Body: "huge.iso", URL: up.ContentURI.CUString(), Info: &event.FileInfo{MimeType: "application/octet-stream", Size: 3 << 30}})
	s.u.WaitFor(t, ch.portal, c, "a notice about the oversized file", matrixtest.MessageFrom(bridge.BotMXID(), "larger than the maximum"))
}

func urlOf(s string) id.ContentURIString { return id.ContentURIString(s) }
