package connector

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/gotd/td/telegram/downloader"
	"github.com/gotd/td/tg"
	"go.mau.fi/util/exmime"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
)

// defaultMaxFileSize is the Matrix upload limit the bridge assumes until the homeserver says.
const defaultMaxFileSize = 50 * 1024 * 1024

var _ bridgev2.MaxFileSizeingNetwork = (*Connector)(nil)

// SetMaxFileSize records the largest file the homeserver accepts (bridgev2 calls it after
// asking the homeserver's media config).
func (c *Connector) SetMaxFileSize(maxSize int64) { c.maxFileSize.Store(maxSize) }

// MaxFileSize is the largest Telegram file the bridge copies to Matrix.
func (c *Connector) MaxFileSize() int64 {
	if n := c.maxFileSize.Load(); n > 0 {
		return n
	}
	return defaultMaxFileSize
}

// convertWithMedia converts a message like convert and, when it carries a photo or a document,
// copies the file to Matrix (as the intent that will send the event) and makes the part that
// event. Media other than photos and documents keeps convert's result.
func (tc *Client) convertWithMedia(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, m *tg.Message) *bridgev2.ConvertedMessage {
	conv := tc.convert(m)
	if part := tc.mediaPart(ctx, portal, intent, m); part != nil {
		conv.Parts = []*bridgev2.ConvertedMessagePart{part}
	}
	tc.addForward(conv, m) // forward.go
	return conv
}

// telegramFile is a file of a Telegram message, ready to be copied to Matrix.
type telegramFile struct {
	what     string // for notices: "photo", "voice message", ...
	name     string // the file name to store it under in Matrix
	location tg.InputFileLocationClass
	// size is the file's size as Telegram reports it; exact says whether the download
	// must have exactly that many bytes (documents), or it is an estimate (photos).
	size  int64
	exact bool
	// evtType and content are the Matrix event without its file.
	evtType event.Type
	content *event.MessageEventContent
	// note replaces an empty caption: what the bridge did instead of the real thing.
	note string
}

// mediaPart returns the Matrix part of a message's photo or document, or nil if the message
// has neither. A file that cannot be copied becomes a notice saying why.
func (tc *Client) mediaPart(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, m *tg.Message) *bridgev2.ConvertedMessagePart {
	var file *telegramFile
	switch media := m.Media.(type) {
	case *tg.MessageMediaPhoto:
		photo, ok := media.Photo.(*tg.Photo)
		switch {
		case !ok:
			return tc.mediaFailure(m, "photo", "it is no longer available on Telegram")
		case media.TTLSeconds > 0:
			return tc.mediaFailure(m, "self-destructing photo", "open Telegram to view it")
		}
		size, ok := largestPhotoSize(photo.Sizes)
		if !ok {
			return tc.mediaFailure(m, "photo", "Telegram offers no size of it to download")
		}
		file = &telegramFile{
			what: "photo",
			name: "photo.jpg",
			location: &tg.InputPhotoFileLocation{
				ID: photo.ID, AccessHash: photo.AccessHash, FileReference: photo.FileReference, ThumbSize: size.typ,
			},
			size:    size.bytes,
			evtType: event.EventMessage,
			content: &event.MessageEventContent{MsgType: event.MsgImage, Body: "photo.jpg", FileName: "photo.jpg",
				Info: &event.FileInfo{MimeType: "image/jpeg", Width: size.w, Height: size.h}},
		}
	case *tg.MessageMediaDocument:
		doc, ok := media.Document.(*tg.Document)
		switch {
		case !ok:
			return tc.mediaFailure(m, "file", "it is no longer available on Telegram")
		case media.TTLSeconds > 0:
			return tc.mediaFailure(m, "self-destructing file", "open Telegram to view it")
		}
		d := classifyDocument(doc)
		file = &telegramFile{
			what:     d.what,
			name:     d.fileName,
			location: &tg.InputDocumentFileLocation{ID: doc.ID, AccessHash: doc.AccessHash, FileReference: doc.FileReference},
			size:     doc.Size,
			exact:    doc.Size > 0,
			evtType:  d.evtType,
			content:  d.content(),
			note:     d.note,
		}
	default:
		return nil
	}
	if limit := tc.conn.MaxFileSize(); file.size > limit {
		return tc.mediaFailure(m, file.what, fmt.Sprintf("it is %s, more than the %s the Matrix server accepts", humanSize(file.size), humanSize(limit)))
	}
	api := tc.client()
	if api == nil {
		return tc.mediaFailure(m, file.what, "the bridge is not connected to Telegram")
	}
	if err := tc.copyToMatrix(ctx, portal, intent, api, file); err != nil {
		tc.login.Log.Warn().Err(err).Int("tg_message_id", m.ID).Str("media", file.what).Msg("Failed to bridge Telegram media")
		return tc.mediaFailure(m, file.what, failureReason(err))
	}
	tc.addCaption(file.content, m, file.note)
	return &bridgev2.ConvertedMessagePart{Type: file.evtType, Content: file.content}
}

// errDownload marks a failure to fetch a file from Telegram (as opposed to storing it in Matrix).
type errDownload struct{ err error }

func (e errDownload) Error() string { return "download from Telegram failed: " + e.err.Error() }
func (e errDownload) Unwrap() error { return e.err }

// copyToMatrix streams a Telegram file into the Matrix media repository (through a temporary
// file when it is large) and puts its address into file.content.
func (tc *Client) copyToMatrix(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, api *tg.Client, file *telegramFile) error {
	info := file.content.Info
	var streamSize int64
	if file.exact {
		streamSize = file.size
	}
	var written int64
	url, encrypted, err := intent.UploadMediaStream(ctx, portal.MXID, streamSize, false, func(w io.Writer) (*bridgev2.FileStreamResult, error) {
		cw := &countingWriter{w: w}
		if _, err := downloader.NewDownloader().Download(api, file.location).Stream(ctx, cw); err != nil {
			return nil, errDownload{err}
		}
		if file.exact && cw.n != file.size {
			return nil, errDownload{fmt.Errorf("got %d bytes of %d", cw.n, file.size)}
		}
		written = cw.n
		return &bridgev2.FileStreamResult{FileName: file.name, MimeType: info.MimeType}, nil
	})
	if err != nil {
		return err
	}
	info.Size = int(written)
	file.content.URL, file.content.File = url, encrypted
	return nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// failureReason says in a few words why a file was not bridged.
func failureReason(err error) string {
	var dl errDownload
	switch {
	case errors.As(err, &dl):
		return dl.Error()
	case errors.Is(err, bridgev2.ErrMediaTooLarge):
		return "it is larger than the Matrix server accepts"
	default:
		return "storing it in Matrix failed: " + err.Error()
	}
}

// humanSize writes a byte count the way people read file sizes.
func humanSize(n int64) string {
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

// addCaption makes the message's text the caption of a media event (MSC2530: the body is the
// caption and the file name is in filename), or, without text, makes the note or the file
// name the body. Stickers keep their emoji as body.
func (tc *Client) addCaption(content *event.MessageEventContent, m *tg.Message, note string) {
	if content.MsgType == "" {
		return
	}
	text := m.Message
	if text == "" && note != "" {
		text = note
	}
	if text == "" {
		content.Body = content.FileName
		return
	}
	caption := tc.textToMatrix(text, m.Entities)
	content.Body, content.Format, content.FormattedBody = caption.Body, caption.Format, caption.FormattedBody
	content.Mentions = caption.Mentions
}

// mediaFailure is the notice that replaces a file the bridge could not copy, with the
// message's caption after it so no text is lost.
func (tc *Client) mediaFailure(m *tg.Message, what, reason string) *bridgev2.ConvertedMessagePart {
	notice := fmt.Sprintf("This %s could not be bridged from Telegram: %s.", what, reason)
	content := &event.MessageEventContent{MsgType: event.MsgNotice, Body: notice}
	if m.Message != "" {
		caption := tc.textToMatrix(m.Message, m.Entities)
		content.Body = notice + "\n\n" + caption.Body
		content.Mentions = caption.Mentions
		if caption.Format == event.FormatHTML {
			content.Format = event.FormatHTML
			content.FormattedBody = html.EscapeString(notice) + "<br><br>" + caption.FormattedBody
		}
	}
	return &bridgev2.ConvertedMessagePart{Type: event.EventMessage, Content: content}
}

// photoSize is the downloadable size of a photo the bridge picked.
type photoSize struct {
	typ   string
	w, h  int
	bytes int64
}

// largestPhotoSize picks the biggest downloadable size of a photo (by pixels). Cached,
// stripped and path sizes are inline previews, never the full photo.
func largestPhotoSize(sizes []tg.PhotoSizeClass) (photoSize, bool) {
	var best photoSize
	found := false
	for _, s := range sizes {
		var cand photoSize
		switch s := s.(type) {
		case *tg.PhotoSize:
			cand = photoSize{typ: s.Type, w: s.W, h: s.H, bytes: int64(s.Size)}
		case *tg.PhotoSizeProgressive:
			if len(s.Sizes) == 0 {
				continue
			}
			cand = photoSize{typ: s.Type, w: s.W, h: s.H, bytes: int64(s.Sizes[len(s.Sizes)-1])}
		default:
			continue
		}
		if !found || cand.w*cand.h > best.w*best.h || (cand.w*cand.h == best.w*best.h && cand.bytes > best.bytes) {
			best, found = cand, true
		}
	}
	return best, found
}

// docMedia is how a Telegram document appears in Matrix, decided by its attributes.
type docMedia struct {
	evtType  event.Type
	msgType  event.MessageType // empty for m.sticker events
	what     string            // for notices
	fileName string
	info     event.FileInfo
	voice    bool
	audio    *event.MSC1767Audio
	// stickerAlt is a sticker's emoji, the body of an m.sticker event.
	stickerAlt string
	// note becomes the body when the message has no caption.
	note string
}

const mimeTGS = "application/x-tgsticker"

// classifyDocument maps a document's attributes to a Matrix message type: voice notes and
// music to m.audio, videos and video messages to m.video, GIFs (silent MP4s) to m.video with
// fi.mau.gif, static stickers to m.sticker, video stickers to looping m.video, animated
// (Lottie) stickers and everything else to m.file.
func classifyDocument(doc *tg.Document) docMedia {
	d := docMedia{evtType: event.EventMessage, msgType: event.MsgFile, what: "file"}
	d.info.MimeType = doc.MimeType
	if d.info.MimeType == "" {
		d.info.MimeType = "application/octet-stream"
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
			d.fileName = a.FileName
		case *tg.DocumentAttributeImageSize:
			d.info.Width, d.info.Height = a.W, a.H
		case *tg.DocumentAttributeVideo:
			video = a
			d.info.Width, d.info.Height, d.info.Duration = a.W, a.H, int(a.Duration*1000)
		case *tg.DocumentAttributeAudio:
			audio = a
			d.info.Duration = a.Duration * 1000
		case *tg.DocumentAttributeSticker:
			sticker = a
		case *tg.DocumentAttributeAnimated:
			animated = true
		}
	}
	base := "file"
	switch {
	case sticker != nil && d.info.MimeType == "image/webp":
		d.evtType, d.msgType, d.what, base = event.EventSticker, "", "sticker", "sticker"
		d.stickerAlt = sticker.Alt
		if d.stickerAlt == "" {
			d.stickerAlt = "sticker"
		}
	case sticker != nil && (video != nil || strings.HasPrefix(d.info.MimeType, "video/")):
		// A video sticker plays as a silent looping video, as GIFs do.
		d.msgType, d.what, base = event.MsgVideo, "video sticker", "sticker"
		d.info.MauGIF = true
	case sticker != nil:
		d.what, base = "animated sticker", "sticker"
		d.note = strings.TrimSpace(fmt.Sprintf("Animated sticker %s (sent as a file: the bridge cannot show animated Telegram stickers as Matrix stickers yet)", sticker.Alt))
	case animated && (video != nil || strings.HasPrefix(d.info.MimeType, "video/")):
		d.msgType, d.what, base = event.MsgVideo, "GIF", "animation"
		d.info.MauGIF = true
	case animated && strings.HasPrefix(d.info.MimeType, "image/"):
		d.msgType, d.what, base = event.MsgImage, "GIF", "animation"
		d.info.IsAnimated = true
	case audio != nil && audio.Voice:
		d.msgType, d.what, base = event.MsgAudio, "voice message", "voice"
		d.voice = true
		d.audio = &event.MSC1767Audio{Duration: audio.Duration * 1000, Waveform: decodeWaveform(audio.Waveform)}
	case audio != nil:
		d.msgType, d.what, base = event.MsgAudio, "audio file", "audio"
		d.audio = &event.MSC1767Audio{Duration: audio.Duration * 1000}
	case video != nil && video.RoundMessage:
		d.msgType, d.what, base = event.MsgVideo, "video message", "video_message"
	case video != nil:
		d.msgType, d.what, base = event.MsgVideo, "video", "video"
	}
	if d.fileName == "" {
		d.fileName = base + fileExtension(d.info.MimeType)
	}
	d.info.Size = int(doc.Size)
	return d
}

func fileExtension(mime string) string {
	if mime == mimeTGS {
		return ".tgs"
	}
	return exmime.ExtensionFromMimetype(mime)
}

// content is the Matrix content of the document, without its file and caption.
func (d docMedia) content() *event.MessageEventContent {
	info := d.info
	c := &event.MessageEventContent{MsgType: d.msgType, Body: d.fileName, FileName: d.fileName, Info: &info}
	if d.evtType == event.EventSticker {
		c.Body, c.FileName = d.stickerAlt, ""
	}
	if d.voice {
		c.MSC3245Voice = &event.MSC3245Voice{}
	}
	c.MSC1767Audio = d.audio
	return c
}

// decodeWaveform unpacks Telegram's voice waveform (5-bit samples, least significant bit
// first) into MSC1767 amplitudes (0–1024).
func decodeWaveform(packed []byte) []int {
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

// encodeWaveform packs MSC1767 amplitudes (0–1024) into Telegram's 5-bit waveform, resampled
// to at most 100 samples as Telegram's apps send.
func encodeWaveform(amps []int) []byte {
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
