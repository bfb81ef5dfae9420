package waconv

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"
)

// MediaType is the WhatsApp media class a Matrix file message is uploaded as, or ok=false for
// content that is not a file.
func MediaType(content *event.MessageEventContent) (whatsmeow.MediaType, bool) {
	switch content.MsgType {
	case event.MsgImage, event.CapMsgSticker:
		return whatsmeow.MediaImage, true
	case event.MsgVideo:
		return whatsmeow.MediaVideo, true
	case event.MsgAudio:
		return whatsmeow.MediaAudio, true
	case event.MsgFile:
		return whatsmeow.MediaDocument, true
	}
	return "", false
}

// MediaToWhatsApp builds the WhatsApp message for a Matrix file whose bytes were uploaded to
// WhatsApp as up. A body that differs from the file name is the caption.
func MediaToWhatsApp(ctx context.Context, content *event.MessageEventContent, up whatsmeow.UploadResponse, replyTo *database.Message, users Users) (*waE2E.Message, error) {
	var caption string
	var mentions []string
	if content.FileName != "" && content.Body != content.FileName {
		conv := convertText(ctx, content, users)
		caption, mentions = conv.Text, conv.MentionedJIDs
	}
	info, err := contextInfo(mentions, replyTo)
	if err != nil {
		return nil, err
	}
	fileInfo := content.Info
	if fileInfo == nil {
		fileInfo = &event.FileInfo{}
	}
	mimeType := fileInfo.MimeType
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	optCaption := func() *string {
		if caption == "" {
			return nil
		}
		return proto.String(caption)
	}
	switch content.MsgType {
	case event.CapMsgSticker:
		return &waE2E.Message{StickerMessage: &waE2E.StickerMessage{
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength),
			Mimetype: proto.String(mimeType), Width: proto.Uint32(uint32(fileInfo.Width)), Height: proto.Uint32(uint32(fileInfo.Height)),
			IsAnimated: proto.Bool(fileInfo.IsAnimated), ContextInfo: info,
		}}, nil
	case event.MsgImage:
		return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength),
			Mimetype: proto.String(mimeType), Caption: optCaption(), ContextInfo: info,
			Width: proto.Uint32(uint32(fileInfo.Width)), Height: proto.Uint32(uint32(fileInfo.Height)),
		}}, nil
	case event.MsgVideo:
		return &waE2E.Message{VideoMessage: &waE2E.VideoMessage{
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength),
			Mimetype: proto.String(mimeType), Caption: optCaption(), ContextInfo: info,
			Seconds: proto.Uint32(uint32(fileInfo.Duration / 1000)), GifPlayback: proto.Bool(fileInfo.MauGIF),
			Width: proto.Uint32(uint32(fileInfo.Width)), Height: proto.Uint32(uint32(fileInfo.Height)),
		}}, nil
	case event.MsgAudio:
		// A Matrix voice message is a WhatsApp push-to-talk note; WhatsApp plays those as
		// ogg/opus, which is what Matrix clients record.
		return &waE2E.Message{AudioMessage: &waE2E.AudioMessage{
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength),
			Mimetype: proto.String(mimeType), ContextInfo: info,
			Seconds: proto.Uint32(uint32(fileInfo.Duration / 1000)), PTT: proto.Bool(content.MSC3245Voice != nil),
		}}, nil
	case event.MsgFile:
		name := content.FileName
		if name == "" {
			name = content.Body
		}
		return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength),
			Mimetype: proto.String(mimeType), Caption: optCaption(), ContextInfo: info,
			FileName: proto.String(name), Title: proto.String(name),
		}}, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrUnsupported, content.MsgType)
}
