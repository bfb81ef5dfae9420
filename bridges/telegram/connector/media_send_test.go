package connector

import (
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

func TestInputMediaFor(t *testing.T) {
	file := &tg.InputFile{ID: 1, Parts: 1}
	info := func(mime string) *event.FileInfo {
		return &event.FileInfo{MimeType: mime, Width: 100, Height: 50, Duration: 4500}
	}
	for _, tc := range []struct {
		name    string
		content *event.MessageEventContent
		mime    string
		size    int64
		photo   bool
		check   func(attrs []tg.DocumentAttributeClass) bool
		wantStr string
	}{
		{name: "jpeg image as photo", content: &event.MessageEventContent{MsgType: event.MsgImage, Body: "a.jpg", Info: info("image/jpeg")},
			mime: "image/jpeg", size: 1000, photo: true},
		{name: "huge png as file", content: &event.MessageEventContent{MsgType: event.MsgImage, Body: "a.png", Info: info("image/png")},
			mime: "image/png", size: 20 << 20, wantStr: "filename a.png",
			check: func(a []tg.DocumentAttributeClass) bool { return has[*tg.DocumentAttributeImageSize](a) }},
		{name: "gif image as animated document", content: &event.MessageEventContent{MsgType: event.MsgImage, Body: "a.gif"},
			mime: "image/gif", size: 1000, wantStr: "animated",
			check: func(a []tg.DocumentAttributeClass) bool { return has[*tg.DocumentAttributeAnimated](a) }},
		{name: "voice", content: &event.MessageEventContent{MsgType: event.MsgAudio, Body: "v.ogg", Info: info("audio/ogg"),
			MSC3245Voice: &event.MSC3245Voice{}, MSC1767Audio: &event.MSC1767Audio{Duration: 7000, Waveform: []int{0, 1024}}},
			mime: "audio/ogg", size: 1000, wantStr: "voice 7 s with waveform",
			check: func(a []tg.DocumentAttributeClass) bool {
				au := find[*tg.DocumentAttributeAudio](a)
				return au != nil && au.Voice && au.Duration == 7 && len(au.Waveform) == 2
			}},
		{name: "music", content: &event.MessageEventContent{MsgType: event.MsgAudio, Body: "s.mp3", Info: info("audio/mpeg")},
			mime: "audio/mpeg", size: 1000, wantStr: "audio 4 s, not voice",
			check: func(a []tg.DocumentAttributeClass) bool {
				au := find[*tg.DocumentAttributeAudio](a)
				return au != nil && !au.Voice && au.Duration == 4
			}},
		{name: "video", content: &event.MessageEventContent{MsgType: event.MsgVideo, Body: "v.mp4", Info: info("video/mp4")},
			mime: "video/mp4", size: 1000, wantStr: "video 4.5 s 100x50",
			check: func(a []tg.DocumentAttributeClass) bool {
				v := find[*tg.DocumentAttributeVideo](a)
				return v != nil && v.Duration == 4.5 && v.W == 100 && !has[*tg.DocumentAttributeAnimated](a)
			}},
		{name: "gif video", content: &event.MessageEventContent{MsgType: event.MsgVideo, Body: "g.mp4", Info: &event.FileInfo{MimeType: "video/mp4", MauGIF: true}},
			mime: "video/mp4", size: 1000, wantStr: "animated video",
			check: func(a []tg.DocumentAttributeClass) bool {
				return has[*tg.DocumentAttributeAnimated](a) && has[*tg.DocumentAttributeVideo](a)
			}},
		{name: "webp sticker", content: &event.MessageEventContent{MsgType: event.CapMsgSticker, Body: "cat", Info: info("image/webp")},
			mime: "image/webp", size: 1000, wantStr: "sticker with alt",
			check: func(a []tg.DocumentAttributeClass) bool {
				s := find[*tg.DocumentAttributeSticker](a)
				f := find[*tg.DocumentAttributeFilename](a)
				return s != nil && s.Alt == "cat" && f != nil && f.FileName == "sticker.webp"
			}},
		{name: "png sticker as photo", content: &event.MessageEventContent{MsgType: event.CapMsgSticker, Body: "cat", Info: info("image/png")},
			mime: "image/png", size: 1000, photo: true},
		{name: "file with caption keeps its name", content: &event.MessageEventContent{MsgType: event.MsgFile, Body: "see this", FileName: "r.pdf"},
			mime: "application/pdf", size: 1000, wantStr: "filename r.pdf",
			check: func(a []tg.DocumentAttributeClass) bool {
				f := find[*tg.DocumentAttributeFilename](a)
				return f != nil && f.FileName == "r.pdf"
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			media := inputMediaFor(tc.content, file, tc.mime, tc.size)
			if _, isPhoto := media.(*tg.InputMediaUploadedPhoto); isPhoto != tc.photo {
				t.Fatalf("got %T, want photo: %v", media, tc.photo)
			}
			if tc.photo {
				return
			}
			doc := media.(*tg.InputMediaUploadedDocument)
			if doc.MimeType != tc.mime || !has[*tg.DocumentAttributeFilename](doc.Attributes) {
				t.Errorf("document %s with %+v, want %s and a file name", doc.MimeType, doc.Attributes, tc.mime)
			}
			if tc.check != nil && !tc.check(doc.Attributes) {
				t.Errorf("attributes %+v, want %s", doc.Attributes, tc.wantStr)
			}
		})
	}
}

func find[T tg.DocumentAttributeClass](attrs []tg.DocumentAttributeClass) T {
	for _, a := range attrs {
		if v, ok := a.(T); ok {
			return v
		}
	}
	var zero T
	return zero
}

func has[T tg.DocumentAttributeClass](attrs []tg.DocumentAttributeClass) bool {
	for _, a := range attrs {
		if _, ok := a.(T); ok {
			return true
		}
	}
	return false
}
