package tgconv

import (
	"slices"
	"strings"
	"testing"

	"github.com/gotd/td/bin"
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
			d := ClassifyDocument(&tg.Document{MimeType: tc.mime, Size: 1234, Attributes: tc.attrs})
			c := d.Content()
			if d.EvtType != tc.evtType || c.MsgType != tc.msgType || d.FileName != tc.fileName {
				t.Errorf("got %s/%q %q, want %s/%q %q", d.EvtType.Type, c.MsgType, d.FileName, tc.evtType.Type, tc.msgType, tc.fileName)
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
			if (d.Note != "") != tc.note {
				t.Errorf("note = %q, want one: %v", d.Note, tc.note)
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
			got, ok := LargestPhotoSize(tc.sizes)
			if ok != tc.ok || got.Type != tc.want || got.Bytes != tc.bytes {
				t.Errorf("got %+v %v, want %q (%d bytes) %v", got, ok, tc.want, tc.bytes, tc.ok)
			}
		})
	}
}

func TestWaveform(t *testing.T) {
	// Five samples 0, 31, 1, 16, 8 at bits 0, 5, 10, 15, 20, least significant bit first.
	packed := []byte{0b11100000, 0b00000111, 0b10001000, 0b00000000}
	got := DecodeWaveform(packed)
	want := []int{0, 1024, 33, 528, 264, 0}
	if !slices.Equal(got, want) {
		t.Errorf("decode = %v, want %v", got, want)
	}
	if again := EncodeWaveform(want[:5]); !slices.Equal(again, packed) {
		t.Errorf("encode = %08b, want %08b", again, packed)
	}
	long := make([]int, 1000)
	for i := range long {
		long[i] = i % 1025
	}
	if enc := EncodeWaveform(long); len(enc) != 63 || len(DecodeWaveform(enc)) != 100 {
		t.Errorf("1000 samples packed into %d bytes (%d samples), want 63 (100)", len(enc), len(DecodeWaveform(enc)))
	}
	if DecodeWaveform(nil) != nil || EncodeWaveform(nil) != nil {
		t.Error("an empty waveform must stay empty")
	}
	if enc := EncodeWaveform([]int{-5, 5000}); !slices.Equal(DecodeWaveform(enc)[:2], []int{0, 1024}) {
		t.Errorf("out-of-range amplitudes are not clamped: %v", DecodeWaveform(enc))
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1024: "1.0 KiB", 1536: "1.5 KiB",
		50 << 20: "50.0 MiB", 2000 << 20: "2.0 GiB", 3 << 30: "3.0 GiB",
	} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzClassifyDocument decodes arbitrary TL documents: none may panic, and every document gets
// an event type, a file name, a MIME type and its size; a sticker event has no message type
// and its emoji as body, any other event a message type; a voice message carries its audio
// with amplitudes in MSC1767's range.
func FuzzClassifyDocument(f *testing.F) {
	voice := &tg.DocumentAttributeAudio{Voice: true, Duration: 3}
	voice.SetWaveform([]byte{0xff, 0x10, 0x07})
	addTL(f,
		&tg.Document{ID: 1, MimeType: "application/pdf", Size: 10, Attributes: []tg.DocumentAttributeClass{&tg.DocumentAttributeFilename{FileName: "a.pdf"}}},
		&tg.Document{ID: 2, MimeType: "audio/ogg", Size: 10, Attributes: []tg.DocumentAttributeClass{voice}},
		&tg.Document{ID: 3, MimeType: "image/webp", Attributes: []tg.DocumentAttributeClass{&tg.DocumentAttributeSticker{Alt: "😺", Stickerset: &tg.InputStickerSetEmpty{}}}},
		&tg.Document{ID: 4, MimeType: "video/mp4", Attributes: []tg.DocumentAttributeClass{&tg.DocumentAttributeVideo{RoundMessage: true, Duration: 2}, &tg.DocumentAttributeAnimated{}}},
		&tg.Document{ID: 5, MimeType: "application/x-tgsticker", Attributes: []tg.DocumentAttributeClass{&tg.DocumentAttributeSticker{Stickerset: &tg.InputStickerSetEmpty{}}}},
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc tg.Document
		if err := doc.Decode(&bin.Buffer{Buf: data}); err != nil {
			return
		}
		d := ClassifyDocument(&doc)
		c := d.Content()
		if d.FileName == "" || d.What == "" || c.Info == nil || c.Info.MimeType == "" || c.Info.Size != int(doc.Size) {
			t.Fatalf("incomplete %+v (content %+v)", d, c)
		}
		switch d.EvtType {
		case event.EventSticker:
			if c.MsgType != "" || c.Body == "" || c.FileName != "" {
				t.Errorf("sticker content %+v", c)
			}
		case event.EventMessage:
			if c.MsgType == "" || c.Body != d.FileName {
				t.Errorf("message content %+v, want a message type and the file name as body", c)
			}
		default:
			t.Errorf("event type %s", d.EvtType.Type)
		}
		if d.Voice != (c.MSC3245Voice != nil) || (d.Voice && c.MSC1767Audio == nil) {
			t.Errorf("voice %v with %+v / %+v", d.Voice, c.MSC3245Voice, c.MSC1767Audio)
		}
		if c.MSC1767Audio != nil {
			for _, a := range c.MSC1767Audio.Waveform {
				if a < 0 || a > 1024 {
					t.Fatalf("amplitude %d out of range", a)
				}
			}
		}
	})
}

// FuzzWaveform checks both waveform directions: Telegram's packed samples decode to
// amplitudes in 0–1024 that encode back to the same samples, and any amplitudes encode to at
// most 100 samples (63 bytes) that decode in range.
func FuzzWaveform(f *testing.F) {
	f.Add([]byte{0b11100000, 0b00000111, 0b10001000, 0b00000000}, []byte{0, 255, 17})
	f.Add([]byte{}, []byte{})
	f.Add(make([]byte, 63), make([]byte, 300))
	f.Fuzz(func(t *testing.T, packed []byte, raw []byte) {
		amps := DecodeWaveform(packed)
		if len(amps) != len(packed)*8/5 {
			t.Fatalf("%d bytes decoded to %d samples", len(packed), len(amps))
		}
		for _, a := range amps {
			if a < 0 || a > 1024 {
				t.Fatalf("amplitude %d out of range", a)
			}
		}
		if len(amps) > 0 && len(amps) <= 100 {
			again := DecodeWaveform(EncodeWaveform(amps))
			if len(again) < len(amps) || !slices.Equal(again[:len(amps)], amps) {
				t.Fatalf("round trip %v -> %v", amps, again)
			}
		}
		// Arbitrary amplitudes, out of range ones included: two bytes each, signed.
		in := make([]int, len(raw)/2)
		for i := range in {
			in[i] = int(int16(uint16(raw[2*i])<<8|uint16(raw[2*i+1]))) * 2
		}
		enc := EncodeWaveform(in)
		if (len(in) == 0) != (enc == nil) || len(enc) > 63 {
			t.Fatalf("%d amplitudes encoded to %d bytes", len(in), len(enc))
		}
		for _, a := range DecodeWaveform(enc) {
			if a < 0 || a > 1024 {
				t.Fatalf("amplitude %d out of range after encoding %v", a, in)
			}
		}
	})
}

// FuzzLargestPhotoSize decodes arbitrary TL photos: the pick must be a downloadable size of
// the photo, no smaller than any other, and found exactly when there is one.
func FuzzLargestPhotoSize(f *testing.F) {
	addTL(f,
		&tg.Photo{ID: 1, Sizes: []tg.PhotoSizeClass{&tg.PhotoSize{Type: "m", W: 320, H: 240, Size: 100}, &tg.PhotoSizeProgressive{Type: "w", W: 2560, H: 1920, Sizes: []int{1, 2}}}},
		&tg.Photo{ID: 2, Sizes: []tg.PhotoSizeClass{&tg.PhotoStrippedSize{Type: "i", Bytes: []byte{1}}, &tg.PhotoSizeProgressive{Type: "w"}}},
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		var photo tg.Photo
		if err := photo.Decode(&bin.Buffer{Buf: data}); err != nil {
			return
		}
		got, ok := LargestPhotoSize(photo.Sizes)
		found := false
		for _, s := range photo.Sizes {
			cand, full := downloadable(s)
			if !full {
				switch s.(type) {
				case *tg.PhotoSize:
					t.Fatalf("full size %+v not downloadable", s)
				}
				continue
			}
			found = found || cand == got
			if ok && cand.W*cand.H > got.W*got.H {
				t.Fatalf("picked %+v over the larger %+v", got, cand)
			}
		}
		if ok != found {
			t.Fatalf("picked %+v (%v) from %+v", got, ok, photo.Sizes)
		}
	})
}

// FuzzHumanSize checks that every byte count reads as a short number with a unit.
func FuzzHumanSize(f *testing.F) {
	for _, n := range []int64{0, 1023, 1024, 50 << 20, 3 << 30, -1, 1<<63 - 1} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		s := HumanSize(n)
		unit := "bytes"
		switch {
		case n >= 1<<30:
			unit = "GiB"
		case n >= 1<<20:
			unit = "MiB"
		case n >= 1<<10:
			unit = "KiB"
		}
		if !strings.HasSuffix(s, " "+unit) || len(s) > 32 {
			t.Errorf("HumanSize(%d) = %q, want a number of %s", n, s, unit)
		}
	})
}
