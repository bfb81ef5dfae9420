package connector

import (
	"slices"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

func TestClassifyDocument(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mime     string
		attrs    []tg.DocumentAttributeClass
		evtType  event.Type
		msgType  event.MessageType
		fileName string
		voice    bool
		gif      bool
		duration int // ms
		note     bool
	}{
		{name: "plain file", mime: "application/pdf",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeFilename{FileName: "report.pdf"}},
			evtType: event.EventMessage, msgType: event.MsgFile, fileName: "report.pdf"},
		{name: "file without name", mime: "application/pdf",
			evtType: event.EventMessage, msgType: event.MsgFile, fileName: "file.pdf"},
		{name: "voice note", mime: "audio/ogg",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeAudio{Voice: true, Duration: 3}},
			evtType: event.EventMessage, msgType: event.MsgAudio, fileName: "voice.ogg", voice: true, duration: 3000},
		{name: "music", mime: "audio/mpeg",
			attrs: []tg.DocumentAttributeClass{&tg.DocumentAttributeAudio{Duration: 200, Title: "Song"},
				&tg.DocumentAttributeFilename{FileName: "song.mp3"}},
			evtType: event.EventMessage, msgType: event.MsgAudio, fileName: "song.mp3", duration: 200000},
		{name: "video", mime: "video/mp4",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeVideo{Duration: 1.5, W: 640, H: 480}},
			evtType: event.EventMessage, msgType: event.MsgVideo, fileName: "video.mp4", duration: 1500},
		{name: "video message", mime: "video/mp4",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeVideo{RoundMessage: true, Duration: 2, W: 240, H: 240}},
			evtType: event.EventMessage, msgType: event.MsgVideo, fileName: "video_message.mp4", duration: 2000},
		{name: "GIF (silent MP4)", mime: "video/mp4",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeVideo{Duration: 1}, &tg.DocumentAttributeAnimated{}},
			evtType: event.EventMessage, msgType: event.MsgVideo, fileName: "animation.mp4", gif: true, duration: 1000},
		{name: "animated attribute after filename", mime: "video/mp4",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeFilename{FileName: "cat.mp4"}, &tg.DocumentAttributeAnimated{}},
			evtType: event.EventMessage, msgType: event.MsgVideo, fileName: "cat.mp4", gif: true},
		{name: "GIF image", mime: "image/gif",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeAnimated{}},
			evtType: event.EventMessage, msgType: event.MsgImage, fileName: "animation.gif"},
		{name: "static sticker", mime: "image/webp",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeSticker{Alt: "😺"}, &tg.DocumentAttributeImageSize{W: 512, H: 512}},
			evtType: event.EventSticker, msgType: "", fileName: "sticker.webp"},
		{name: "animated sticker", mime: "application/x-tgsticker",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeSticker{Alt: "😺"}},
			evtType: event.EventMessage, msgType: event.MsgFile, fileName: "sticker.tgs", note: true},
		{name: "video sticker", mime: "video/webm",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeSticker{Alt: "😺"}, &tg.DocumentAttributeVideo{Duration: 3}},
			evtType: event.EventMessage, msgType: event.MsgVideo, fileName: "sticker.webm", gif: true, duration: 3000},
		{name: "image sent as file", mime: "image/png",
			attrs:   []tg.DocumentAttributeClass{&tg.DocumentAttributeImageSize{W: 10, H: 20}, &tg.DocumentAttributeFilename{FileName: "a.png"}},
			evtType: event.EventMessage, msgType: event.MsgFile, fileName: "a.png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := classifyDocument(&tg.Document{MimeType: tc.mime, Size: 1234, Attributes: tc.attrs})
			c := d.content()
			if d.evtType != tc.evtType || c.MsgType != tc.msgType || d.fileName != tc.fileName {
				t.Errorf("got %s/%q %q, want %s/%q %q", d.evtType.Type, c.MsgType, d.fileName, tc.evtType.Type, tc.msgType, tc.fileName)
			}
			if (c.MSC3245Voice != nil) != tc.voice {
				t.Errorf("voice = %v, want %v", c.MSC3245Voice != nil, tc.voice)
			}
			if c.Info.MauGIF != tc.gif {
				t.Errorf("fi.mau.gif = %v, want %v", c.Info.MauGIF, tc.gif)
			}
			if c.Info.Duration != tc.duration || c.Info.Size != 1234 || c.Info.MimeType != tc.mime {
				t.Errorf("info = %+v, want duration %d, size 1234, %s", c.Info, tc.duration, tc.mime)
			}
			if (d.note != "") != tc.note {
				t.Errorf("note = %q, want one: %v", d.note, tc.note)
			}
			if tc.evtType == event.EventSticker && (c.Body != "😺" || c.FileName != "" || c.Info.Width != 512) {
				t.Errorf("sticker content = %+v, want the emoji as body and the size", c)
			}
			if tc.voice && (c.MSC1767Audio == nil || c.MSC1767Audio.Duration != tc.duration) {
				t.Errorf("MSC1767 audio = %+v, want duration %d", c.MSC1767Audio, tc.duration)
			}
		})
	}
}

func TestLargestPhotoSize(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []tg.PhotoSizeClass
		want  string
		bytes int64
		ok    bool
	}{
		{name: "none", ok: false},
		{name: "only previews", sizes: []tg.PhotoSizeClass{&tg.PhotoStrippedSize{Type: "i"}, &tg.PhotoCachedSize{Type: "s", W: 90, H: 90}}},
		{name: "largest wins", ok: true, want: "y", bytes: 900, sizes: []tg.PhotoSizeClass{
			&tg.PhotoSize{Type: "m", W: 320, H: 240, Size: 100}, &tg.PhotoSize{Type: "y", W: 1280, H: 960, Size: 900},
			&tg.PhotoSize{Type: "x", W: 800, H: 600, Size: 400}}},
		{name: "progressive", ok: true, want: "w", bytes: 3000, sizes: []tg.PhotoSizeClass{
			&tg.PhotoSize{Type: "m", W: 320, H: 240, Size: 100}, &tg.PhotoSizeProgressive{Type: "w", W: 2560, H: 1920, Sizes: []int{1000, 2000, 3000}}}},
		{name: "empty progressive skipped", ok: true, want: "m", bytes: 100, sizes: []tg.PhotoSizeClass{
			&tg.PhotoSize{Type: "m", W: 320, H: 240, Size: 100}, &tg.PhotoSizeProgressive{Type: "w", W: 2560, H: 1920}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := largestPhotoSize(tc.sizes)
			if ok != tc.ok || got.typ != tc.want || got.bytes != tc.bytes {
				t.Errorf("got %+v %v, want %q (%d bytes) %v", got, ok, tc.want, tc.bytes, tc.ok)
			}
		})
	}
}

func TestWaveform(t *testing.T) {
	// Five samples 0, 31, 1, 16, 8 at bits 0, 5, 10, 15, 20, least significant bit first.
	packed := []byte{0b11100000, 0b00000111, 0b10001000, 0b00000000}
	got := decodeWaveform(packed)
	want := []int{0, 1024, 33, 528, 264, 0}
	if !slices.Equal(got, want) {
		t.Errorf("decode = %v, want %v", got, want)
	}
	if again := encodeWaveform(want[:5]); !slices.Equal(again, packed) {
		t.Errorf("encode = %08b, want %08b", again, packed)
	}
	long := make([]int, 1000)
	for i := range long {
		long[i] = i % 1025
	}
	if enc := encodeWaveform(long); len(enc) != 63 || len(decodeWaveform(enc)) != 100 {
		t.Errorf("1000 samples packed into %d bytes (%d samples), want 63 (100)", len(enc), len(decodeWaveform(enc)))
	}
	if decodeWaveform(nil) != nil || encodeWaveform(nil) != nil {
		t.Error("an empty waveform must stay empty")
	}
	if enc := encodeWaveform([]int{-5, 5000}); !slices.Equal(decodeWaveform(enc)[:2], []int{0, 1024}) {
		t.Errorf("out-of-range amplitudes are not clamped: %v", decodeWaveform(enc))
	}
}

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

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1024: "1.0 KiB", 1536: "1.5 KiB",
		50 << 20: "50.0 MiB", 2000 << 20: "2.0 GiB", 3 << 30: "3.0 GiB",
	} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
