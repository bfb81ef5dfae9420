package tgconv

import (
	"fmt"
	"strings"

	"github.com/gotd/td/tg"
	"go.mau.fi/util/exmime"
	"maunium.net/go/mautrix/event"
)

// HumanSize writes a byte count the way people read file sizes.
func HumanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// PhotoSize is the downloadable size of a photo the bridge picked.
type PhotoSize struct {
	// Type is the size's letter, which names it in a download request.
	Type string
	// W and H are its dimensions in pixels, Bytes its size.
	W, H  int
	Bytes int64
}

// LargestPhotoSize picks the biggest downloadable size of a photo (by pixels). Cached,
// stripped and path sizes are inline previews, never the full photo.
func LargestPhotoSize(sizes []tg.PhotoSizeClass) (PhotoSize, bool) {
	var best PhotoSize
	found := false
	for _, s := range sizes {
		cand, ok := downloadable(s)
		if !ok {
			continue
		}
		if !found || cand.W*cand.H > best.W*best.H || (cand.W*cand.H == best.W*best.H && cand.Bytes > best.Bytes) {
			best, found = cand, true
		}
	}
	return best, found
}

// downloadable is a size of a photo that can be downloaded as the full photo, with its final
// byte count; ok is false for inline previews (cached, stripped and path sizes) and for
// progressive sizes without a final size.
func downloadable(size tg.PhotoSizeClass) (PhotoSize, bool) {
	switch s := size.(type) {
	case *tg.PhotoSize:
		return PhotoSize{Type: s.Type, W: s.W, H: s.H, Bytes: int64(s.Size)}, true
	case *tg.PhotoSizeProgressive:
		if len(s.Sizes) > 0 {
			return PhotoSize{Type: s.Type, W: s.W, H: s.H, Bytes: int64(s.Sizes[len(s.Sizes)-1])}, true
		}
	}
	return PhotoSize{}, false
}

// DocMedia is how a Telegram document appears in Matrix, decided by its attributes.
type DocMedia struct {
	EvtType  event.Type
	MsgType  event.MessageType // empty for m.sticker events
	What     string            // for notices
	FileName string
	Info     event.FileInfo
	Voice    bool
	Audio    *event.MSC1767Audio
	// StickerAlt is a sticker's emoji, the body of an m.sticker event.
	StickerAlt string
	// Note becomes the body when the message has no caption.
	Note string
}

const mimeTGS = "application/x-tgsticker"

// ClassifyDocument maps a document's attributes to a Matrix message type: voice notes and
// music to m.audio, videos and video messages to m.video, GIFs (silent MP4s) to m.video with
// fi.mau.gif, static stickers to m.sticker, video stickers to looping m.video, animated
// (Lottie) stickers and everything else to m.file.
func ClassifyDocument(doc *tg.Document) DocMedia {
	d := DocMedia{EvtType: event.EventMessage, MsgType: event.MsgFile, What: "file"}
	d.Info.MimeType = doc.MimeType
	if d.Info.MimeType == "" {
		d.Info.MimeType = "application/octet-stream"
	}
	var (
		video    *tg.DocumentAttributeVideo
		audio    *tg.DocumentAttributeAudio
		sticker  *tg.DocumentAttributeSticker
		animated bool
	)
	for _, a := range doc.Attributes {
		switch a := a.(type) {
		case *tg.DocumentAttributeFilename:
			d.FileName = a.FileName
		case *tg.DocumentAttributeImageSize:
			d.Info.Width, d.Info.Height = a.W, a.H
		case *tg.DocumentAttributeVideo:
			video = a
			d.Info.Width, d.Info.Height, d.Info.Duration = a.W, a.H, int(a.Duration*1000)
		case *tg.DocumentAttributeAudio:
			audio = a
			d.Info.Duration = a.Duration * 1000
		case *tg.DocumentAttributeSticker:
			sticker = a
		case *tg.DocumentAttributeAnimated:
			animated = true
		}
	}
	base := "file"
	switch {
	case sticker != nil && d.Info.MimeType == "image/webp":
		d.EvtType, d.MsgType, d.What, base = event.EventSticker, "", "sticker", "sticker"
		d.StickerAlt = sticker.Alt
		if d.StickerAlt == "" {
			d.StickerAlt = "sticker"
		}
	case sticker != nil && (video != nil || strings.HasPrefix(d.Info.MimeType, "video/")):
		// A video sticker plays as a silent looping video, as GIFs do.
		d.MsgType, d.What, base = event.MsgVideo, "video sticker", "sticker"
		d.Info.MauGIF = true
	case sticker != nil:
		d.What, base = "animated sticker", "sticker"
		d.Note = strings.TrimSpace(fmt.Sprintf("Animated sticker %s (sent as a file: the bridge cannot show animated Telegram stickers as Matrix stickers yet)", sticker.Alt))
	case animated && (video != nil || strings.HasPrefix(d.Info.MimeType, "video/")):
		d.MsgType, d.What, base = event.MsgVideo, "GIF", "animation"
		d.Info.MauGIF = true
	case animated && strings.HasPrefix(d.Info.MimeType, "image/"):
		d.MsgType, d.What, base = event.MsgImage, "GIF", "animation"
		d.Info.IsAnimated = true
	case audio != nil && audio.Voice:
		d.MsgType, d.What, base = event.MsgAudio, "voice message", "voice"
		d.Voice = true
		d.Audio = &event.MSC1767Audio{Duration: audio.Duration * 1000, Waveform: DecodeWaveform(audio.Waveform)}
	case audio != nil:
		d.MsgType, d.What, base = event.MsgAudio, "audio file", "audio"
		d.Audio = &event.MSC1767Audio{Duration: audio.Duration * 1000}
	case video != nil && video.RoundMessage:
		d.MsgType, d.What, base = event.MsgVideo, "video message", "video_message"
	case video != nil:
		d.MsgType, d.What, base = event.MsgVideo, "video", "video"
	}
	if d.FileName == "" {
		d.FileName = base + fileExtension(d.Info.MimeType)
	}
	d.Info.Size = int(doc.Size)
	return d
}

func fileExtension(mime string) string {
	if mime == mimeTGS {
		return ".tgs"
	}
	return exmime.ExtensionFromMimetype(mime)
}

// Content is the Matrix content of the document, without its file and caption.
func (d DocMedia) Content() *event.MessageEventContent {
	info := d.Info
	c := &event.MessageEventContent{MsgType: d.MsgType, Body: d.FileName, FileName: d.FileName, Info: &info}
	if d.EvtType == event.EventSticker {
		c.Body, c.FileName = d.StickerAlt, ""
	}
	if d.Voice {
		c.MSC3245Voice = &event.MSC3245Voice{}
	}
	c.MSC1767Audio = d.Audio
	return c
}

// DecodeWaveform unpacks Telegram's voice waveform (5-bit samples, least significant bit
// first) into MSC1767 amplitudes (0–1024).
func DecodeWaveform(packed []byte) []int {
	n := len(packed) * 8 / 5
	if n == 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		bit := i * 5
		v := int(packed[bit/8])
		if bit/8+1 < len(packed) {
			v |= int(packed[bit/8+1]) << 8
		}
		out[i] = ((v >> (bit % 8)) & 31) * 1024 / 31
	}
	return out
}

// EncodeWaveform packs MSC1767 amplitudes (0–1024) into Telegram's 5-bit waveform, resampled
// to at most 100 samples as Telegram's apps send.
func EncodeWaveform(amps []int) []byte {
	if len(amps) == 0 {
		return nil
	}
	const maxSamples = 100
	samples := amps
	if len(amps) > maxSamples {
		samples = make([]int, maxSamples)
		for i := range samples {
			samples[i] = amps[i*len(amps)/maxSamples]
		}
	}
	out := make([]byte, (len(samples)*5+7)/8)
	for i, a := range samples {
		v := (min(max(a, 0), 1024)*31 + 512) / 1024
		bit := i * 5
		out[bit/8] |= byte(v << (bit % 8))
		if bit%8 > 3 {
			out[bit/8+1] |= byte(v >> (8 - bit%8))
		}
	}
	return out
}
