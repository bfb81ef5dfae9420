package connector

import (
	"context"
	"fmt"
	"html"
	"io"

	"github.com/gotd/td/telegram/downloader"
	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
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
		size, ok := tgconv.LargestPhotoSize(photo.Sizes)
		if !ok {
			return tc.mediaFailure(m, "photo", "Telegram offers no size of it to download")
		}
		file = &telegramFile{
			what: "photo",
			name: "photo.jpg",
			location: &tg.InputPhotoFileLocation{
				ID: photo.ID, AccessHash: photo.AccessHash, FileReference: photo.FileReference, ThumbSize: size.Type,
			},
			size:    size.Bytes,
			evtType: event.EventMessage,
			content: &event.MessageEventContent{MsgType: event.MsgImage, Body: "photo.jpg", FileName: "photo.jpg",
				Info: &event.FileInfo{MimeType: "image/jpeg", Width: size.W, Height: size.H}},
		}
	case *tg.MessageMediaDocument:
		doc, ok := media.Document.(*tg.Document)
		switch {
		case !ok:
			return tc.mediaFailure(m, "file", "it is no longer available on Telegram")
		case media.TTLSeconds > 0:
			return tc.mediaFailure(m, "self-destructing file", "open Telegram to view it")
		}
		d := tgconv.ClassifyDocument(doc)
		file = &telegramFile{
			what:     d.What,
			name:     d.FileName,
			location: &tg.InputDocumentFileLocation{ID: doc.ID, AccessHash: doc.AccessHash, FileReference: doc.FileReference},
			size:     doc.Size,
			exact:    doc.Size > 0,
			evtType:  d.EvtType,
			content:  d.Content(),
			note:     d.Note,
		}
	default:
		return nil
	}
	if limit := tc.conn.MaxFileSize(); file.size > limit {
		return tc.mediaFailure(m, file.what, fmt.Sprintf("it is %s, more than the %s the Matrix server accepts", tgconv.HumanSize(file.size), tgconv.HumanSize(limit)))
	}
	api := tc.client()
	if api == nil {
		return tc.mediaFailure(m, file.what, "the bridge is not connected to Telegram")
	}
	if err := tc.copyToMatrix(ctx, portal, intent, api, file); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Int("message_id", m.ID).Str("media", file.what).Msg("Failed to bridge Telegram media")
		return tc.mediaFailure(m, file.what, failureReason(err))
	}
	tc.addCaption(file.content, m, file.note)
	return &bridgev2.ConvertedMessagePart{Type: file.evtType, Content: file.content}
}

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
