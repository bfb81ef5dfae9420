package waconv_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// echoMedia downloads data for every file (or fails with failDownload) and records uploads.
type echoMedia struct {
	fakeMedia
	data         []byte
	failDownload bool
}

func (m *echoMedia) Download(context.Context, whatsmeow.DownloadableMessage) ([]byte, error) {
	if m.failDownload {
		return nil, errors.New("gone")
	}
	return m.data, nil
}

// FuzzMediaRoundTrip: any Matrix file message converts to exactly one WhatsApp media message
// of its kind, with the file name, MIME type, reply and a caption (the body, when it differs
// from the file name) bounded and valid UTF-8; converted back, it is one Matrix event of the
// same kind whose file is the downloaded bytes, uploaded once, with the same name and type. A
// failed download or a file over the size limit becomes one notice instead.
//
// kind selects the message: bits 0-2 the msgtype (image, video, audio, file, sticker, text),
// bit 3 a voice message, bit 4 formatted as HTML, bit 5 a reply, bit 6 a failed download,
// bit 7 a size limit below the file's size.
func FuzzMediaRoundTrip(f *testing.F) {
	alice := string(ghostMXID(alicePhone))
	seeds := []struct {
		body, fileName, mimeType, formatted string
		kind                                uint8
		data                                []byte
	}{
		{"cat.jpg", "cat.jpg", "image/jpeg", "", 0, []byte("jpeg")},
		{"look *here*", "cat.jpg", "image/jpeg", "", 32, []byte("jpeg")},
		{"hi Alice", "v.mp4", "video/mp4", "hi " + pill(alice, "Alice"), 17, []byte("mp4")},
		{"voice.ogg", "voice.ogg", "audio/ogg", "", 10, []byte("ogg")},
		{"report.pdf", "", "", "", 3, []byte("%PDF")},
		{"the report", "report.pdf", "application/pdf", "<b>the</b> report", 19, nil},
		{"sticker", "s.webp", "image/webp", "", 4, []byte("webp")},
		{"just text", "", "", "", 5, nil},
		{"x", "x.bin", "", "", 64 + 3, []byte("x")},
		{"big", "big.bin", "application/x", "", 128 + 3, []byte("0123456789")},
		{"\xff\x00", "../../etc/passwd", "\xff/\x00", "<table>\xff</table>", 16 + 3, []byte{0}},
	}
	for _, s := range seeds {
		f.Add(s.body, s.fileName, s.mimeType, s.formatted, s.kind, s.data)
	}
	msgTypes := [...]event.MessageType{event.MsgImage, event.MsgVideo, event.MsgAudio, event.MsgFile, event.CapMsgSticker, event.MsgText, event.MsgText, event.MsgText}
	f.Fuzz(func(t *testing.T, body, fileName, mimeType, formatted string, kind uint8, data []byte) {
		ctx := context.Background()
		content := &event.MessageEventContent{MsgType: msgTypes[kind&7], Body: body, FileName: fileName, Info: &event.FileInfo{MimeType: mimeType}}
		if kind&8 != 0 {
			content.MSC3245Voice = &event.MSC3245Voice{}
		}
		if kind&16 != 0 {
			content.Format, content.FormattedBody = event.FormatHTML, formatted
		}
		var replyTo *database.Message
		if kind&32 != 0 {
			replyTo = replyTarget(groupChat, userJID(bobPhone), "3EB0FUZZ")
		}
		mediaType, ok := waconv.MediaType(content)
		if content.MsgType == event.MsgText {
			if ok {
				t.Fatalf("text is media %q", mediaType)
			}
			return
		}
		if !ok {
			t.Fatalf("%s is not media", content.MsgType)
		}
		up := whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net/fuzz", DirectPath: "/v/fuzz", FileLength: uint64(len(data))}
		msg, err := waconv.MediaToWhatsApp(ctx, content, up, replyTo, newFakeUsers())
		if err != nil || msg == nil {
			t.Fatalf("MediaToWhatsApp = %v, %v", msg, err)
		}
		parts := map[string]bool{
			"image": msg.ImageMessage != nil, "video": msg.VideoMessage != nil, "audio": msg.AudioMessage != nil,
			"document": msg.DocumentMessage != nil, "sticker": msg.StickerMessage != nil,
		}
		set := 0
		for _, p := range parts {
			if p {
				set++
			}
		}
		want := map[event.MessageType]string{event.MsgImage: "image", event.MsgVideo: "video", event.MsgAudio: "audio", event.MsgFile: "document", event.CapMsgSticker: "sticker"}[content.MsgType]
		if set != 1 || !parts[want] {
			t.Fatalf("%s became %v, want only %s", content.MsgType, msg, want)
		}
		if !waconv.IsMedia(msg) {
			t.Fatalf("%v is not media", msg)
		}
		var caption, gotMime string
		var info *waE2E.ContextInfo
		switch {
		case msg.ImageMessage != nil:
			caption, gotMime, info = msg.ImageMessage.GetCaption(), msg.ImageMessage.GetMimetype(), msg.ImageMessage.GetContextInfo()
		case msg.VideoMessage != nil:
			caption, gotMime, info = msg.VideoMessage.GetCaption(), msg.VideoMessage.GetMimetype(), msg.VideoMessage.GetContextInfo()
		case msg.AudioMessage != nil:
			gotMime, info = msg.AudioMessage.GetMimetype(), msg.AudioMessage.GetContextInfo()
			if msg.AudioMessage.GetPTT() != (kind&8 != 0) {
				t.Fatalf("voice flag %v became PTT %v", kind&8 != 0, msg.AudioMessage.GetPTT())
			}
		case msg.DocumentMessage != nil:
			caption, gotMime, info = msg.DocumentMessage.GetCaption(), msg.DocumentMessage.GetMimetype(), msg.DocumentMessage.GetContextInfo()
			name := fileName
			if name == "" {
				name = body
			}
			if msg.DocumentMessage.GetFileName() != name {
				t.Fatalf("document name %q, want %q", msg.DocumentMessage.GetFileName(), name)
			}
		case msg.StickerMessage != nil:
			gotMime, info = msg.StickerMessage.GetMimetype(), msg.StickerMessage.GetContextInfo()
		}
		wantMime := mimeType
		if wantMime == "" {
			wantMime = "application/octet-stream"
		}
		if gotMime != wantMime {
			t.Fatalf("MIME type %q, want %q", gotMime, wantMime)
		}
		if (replyTo != nil) != (info.GetStanzaID() == "3EB0FUZZ") {
			t.Fatalf("reply %v gave context %v", replyTo != nil, info)
		}
		if caption != "" && (fileName == "" || body == fileName) {
			t.Fatalf("caption %q although body %q is the file name %q", caption, body, fileName)
		}
		if limit := 3*(len(body)+len(formatted)) + 64; len(caption) > limit {
			t.Fatalf("caption of %d bytes from %d+%d input bytes", len(caption), len(body), len(formatted))
		}
		if utf8.ValidString(body) && utf8.ValidString(formatted) && !utf8.ValidString(caption) {
			t.Fatalf("caption %q is not valid UTF-8", caption)
		}
		if kind&16 == 0 && fileName != "" && body != fileName && (msg.ImageMessage != nil || msg.VideoMessage != nil || msg.DocumentMessage != nil) && caption != body {
			t.Fatalf("plain caption %q sent as %q", body, caption)
		}

		// Back to Matrix.
		media := &echoMedia{data: data, failDownload: kind&64 != 0}
		maxSize := int64(0)
		if kind&128 != 0 {
			maxSize = int64(len(data)) - 1
			if maxSize <= 0 {
				maxSize = -1 // no limit below an empty file
			}
		}
		conv := waconv.MediaToMatrix(ctx, groupChat, msg, media, newFakeUsers(), max(maxSize, 0))
		if conv == nil || len(conv.Parts) != 1 || conv.Parts[0].Content == nil {
			t.Fatalf("MediaToMatrix = %+v, want one part", conv)
		}
		if (replyTo != nil) != (conv.ReplyTo != nil) {
			t.Fatalf("reply %v came back as %+v", replyTo != nil, conv.ReplyTo)
		}
		back := conv.Parts[0].Content
		if media.failDownload || maxSize > 0 {
			if back.MsgType != event.MsgNotice || len(media.uploads) != 0 || back.Body == "" {
				t.Fatalf("failed file became %s with %d uploads", back.MsgType, len(media.uploads))
			}
			return
		}
		if len(media.uploads) != 1 || !bytes.Equal(media.uploads[0].data, data) || media.uploads[0].mimeType != wantMime {
			t.Fatalf("uploads = %+v, want the %d downloaded bytes as %q", media.uploads, len(data), wantMime)
		}
		if back.Info == nil || back.Info.Size != len(data) || back.Info.MimeType != wantMime {
			t.Fatalf("info = %+v", back.Info)
		}
		if back.FileName == "" || back.FileName != media.uploads[0].name {
			t.Fatalf("file name %q, uploaded as %q", back.FileName, media.uploads[0].name)
		}
		if content.MsgType == event.CapMsgSticker {
			if conv.Parts[0].Type != event.EventSticker {
				t.Fatalf("sticker came back as %s", conv.Parts[0].Type)
			}
			return
		}
		if conv.Parts[0].Type != event.EventMessage || back.MsgType != content.MsgType {
			t.Fatalf("%s came back as %s %s", content.MsgType, conv.Parts[0].Type, back.MsgType)
		}
		if content.MsgType == event.MsgFile && back.FileName != msg.DocumentMessage.GetFileName() {
			t.Fatalf("document %q came back as %q", msg.DocumentMessage.GetFileName(), back.FileName)
		}
		switch {
		case caption == "":
			if back.Body != back.FileName {
				t.Fatalf("file without caption has body %q, not its name %q", back.Body, back.FileName)
			}
		case back.Format == "" && back.Body != caption:
			t.Fatalf("caption %q came back as %q", caption, back.Body)
		case strings.TrimSpace(caption) != "" && strings.TrimSpace(back.Body) == "":
			t.Fatalf("caption %q came back empty", caption)
		}
	})
}
