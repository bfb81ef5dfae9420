package connector

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/gotd/td/telegram/uploader"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// maxPhotoSize is the largest image Telegram takes as a photo; bigger ones go as files.
const maxPhotoSize = 10 * 1024 * 1024

// handleMatrixMedia sends a Matrix image, video, audio, voice, file or sticker to a private
// chat: the file is streamed from the homeserver to a temporary file, uploaded to Telegram in
// parts, and sent with messages.sendMedia, with the caption (if any) as the message text.
func (tc *Client) handleMatrixMedia(ctx context.Context, msg *bridgev2.MatrixMessage) (*bridgev2.MatrixMessageResponse, error) {
	api, peer, err := tc.target(msg.Portal)
	if err != nil {
		return nil, err
	}
	content := msg.Content
	var media tg.InputMediaClass
	err = tc.conn.Bridge.Bot.DownloadMediaToFile(ctx, content.URL, content.File, false, func(f *os.File) error {
		stat, err := f.Stat()
		if err != nil {
			return err
		}
		mime := mimeOf(content, f)
		file, err := uploader.NewUploader(api).WithThreads(4).Upload(ctx, uploader.NewUpload(content.GetFileName(), f, stat.Size()))
		if err != nil {
			return fmt.Errorf("upload to Telegram: %w", err)
		}
		media = inputMediaFor(content, file, mime, stat.Size())
		return nil
	})
	if err != nil {
		return nil, mediaFailed("The file could not be sent to Telegram: %w", err)
	}
	return tc.sendMedia(ctx, api, peer, msg, media)
}

// sendMedia sends prepared media with the event's caption (if any) and reply target.
func (tc *Client) sendMedia(ctx context.Context, api *tg.Client, peer tg.InputPeerClass, msg *bridgev2.MatrixMessage, media tg.InputMediaClass) (*bridgev2.MatrixMessageResponse, error) {
	content := msg.Content
	randID := randomID()
	req := &tg.MessagesSendMediaRequest{Peer: peer, Media: media, RandomID: randID}
	if content.GetCaption() != "" {
		text, entities := tc.textToTelegram(content)
		req.Message = text
		if len(entities) > 0 {
			req.SetEntities(entities)
		}
	}
	if reply := tgconv.InputReplyTo(msg); reply != nil {
		req.SetReplyTo(reply)
	}
	updates, err := api.MessagesSendMedia(ctx, req)
	if err != nil {
		return nil, notAccepted("file", err)
	}
	return tc.sent(ctx, msg.Portal, updates, randID)
}

// mimeOf is the file's MIME type as the Matrix event declares it, else sniffed from its start.
func mimeOf(content *event.MessageEventContent, f io.ReadSeeker) string {
	if content.Info != nil && content.Info.MimeType != "" {
		return content.Info.MimeType
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	_, _ = f.Seek(0, io.SeekStart)
	return http.DetectContentType(head[:n])
}

// inputMediaFor describes an uploaded file to Telegram by the Matrix message type: JPEG and
// PNG images up to 10 MiB as photos; everything else as documents whose attributes make
// Telegram show a voice note, music, a video, a GIF or a sticker.
func inputMediaFor(content *event.MessageEventContent, file tg.InputFileClass, mime string, size int64) tg.InputMediaClass {
	info := content.Info
	if info == nil {
		info = &event.FileInfo{}
	}
	name := content.GetFileName()
	asPhoto := (mime == "image/jpeg" || mime == "image/png") && size <= maxPhotoSize
	switch {
	case content.MsgType == event.MsgImage && asPhoto,
		content.MsgType == event.CapMsgSticker && mime != "image/webp" && asPhoto:
		return &tg.InputMediaUploadedPhoto{File: file}
	}
	doc := &tg.InputMediaUploadedDocument{File: file, MimeType: mime}
	attrs := []tg.DocumentAttributeClass{}
	seconds := info.Duration / 1000
	switch content.MsgType {
	case event.CapMsgSticker:
		// Telegram stickers are WebP; other sticker images went as photos above or go as files.
		if mime == "image/webp" {
			name = "sticker.webp"
			attrs = append(attrs, &tg.DocumentAttributeSticker{Alt: content.Body, Stickerset: &tg.InputStickerSetEmpty{}})
		}
		if info.Width > 0 && info.Height > 0 {
			attrs = append(attrs, &tg.DocumentAttributeImageSize{W: info.Width, H: info.Height})
		}
	case event.MsgImage:
		if info.Width > 0 && info.Height > 0 {
			attrs = append(attrs, &tg.DocumentAttributeImageSize{W: info.Width, H: info.Height})
		}
		if mime == "image/gif" {
			attrs = append(attrs, &tg.DocumentAttributeAnimated{})
		}
	case event.MsgVideo:
		video := &tg.DocumentAttributeVideo{Duration: float64(info.Duration) / 1000, W: info.Width, H: info.Height}
		video.SetSupportsStreaming(true)
		if info.MauGIF {
			video.SetNosound(true)
			attrs = append(attrs, &tg.DocumentAttributeAnimated{})
			doc.SetNosoundVideo(true)
		}
		attrs = append(attrs, video)
	case event.MsgAudio:
		audio := &tg.DocumentAttributeAudio{Duration: seconds}
		if content.MSC1767Audio != nil {
			if content.MSC1767Audio.Duration > 0 {
				audio.Duration = content.MSC1767Audio.Duration / 1000
			}
			if content.MSC3245Voice != nil && len(content.MSC1767Audio.Waveform) > 0 {
				audio.SetWaveform(tgconv.EncodeWaveform(content.MSC1767Audio.Waveform))
			}
		}
		if content.MSC3245Voice != nil {
			audio.SetVoice(true)
		}
		attrs = append(attrs, audio)
	case event.MsgFile:
		doc.SetForceFile(true)
	}
	attrs = append(attrs, &tg.DocumentAttributeFilename{FileName: name})
	doc.Attributes = attrs
	return doc
}
