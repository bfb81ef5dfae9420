package waconv

import (
	"context"
	"fmt"

	"go.mau.fi/util/exmime"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Media moves the bytes of one message's file: down from WhatsApp, up into the Matrix room.
type Media interface {
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)
	Upload(ctx context.Context, data []byte, fileName, mimeType string) (id.ContentURIString, *event.EncryptedFileInfo, error)
}

// waFile is what every WhatsApp media message has.
type waFile interface {
	whatsmeow.DownloadableMessage
	GetMimetype() string
	GetFileLength() uint64
	GetContextInfo() *waE2E.ContextInfo
}

// mediaOf picks the media part of a message and says how Matrix should show it.
func mediaOf(msg *waE2E.Message) (file waFile, kind string, content *event.MessageEventContent, evtType event.Type) {
	evtType = event.EventMessage
	switch {
	case msg.GetImageMessage() != nil:
		m := msg.GetImageMessage()
		return m, "image", &event.MessageEventContent{MsgType: event.MsgImage, Body: m.GetCaption(),
			Info: &event.FileInfo{Width: int(m.GetWidth()), Height: int(m.GetHeight())}}, evtType
	case msg.GetVideoMessage() != nil:
		m := msg.GetVideoMessage()
		info := &event.FileInfo{Width: int(m.GetWidth()), Height: int(m.GetHeight()), Duration: int(m.GetSeconds()) * 1000}
		kind := "video"
		if m.GetGifPlayback() {
			info.MauGIF, kind = true, "GIF"
		}
		return m, kind, &event.MessageEventContent{MsgType: event.MsgVideo, Body: m.GetCaption(), Info: info}, evtType
	case msg.GetAudioMessage() != nil:
		m := msg.GetAudioMessage()
		c := &event.MessageEventContent{MsgType: event.MsgAudio, Info: &event.FileInfo{Duration: int(m.GetSeconds()) * 1000}}
		kind := "audio message"
		if m.GetPTT() {
			kind = "voice message"
			c.MSC3245Voice = &event.MSC3245Voice{}
			c.MSC1767Audio = &event.MSC1767Audio{Duration: int(m.GetSeconds()) * 1000, Waveform: waveform(m.GetWaveform())}
		}
		return m, kind, c, evtType
	case msg.GetDocumentMessage() != nil:
		m := msg.GetDocumentMessage()
		return m, "document", &event.MessageEventContent{MsgType: event.MsgFile, Body: m.GetCaption(), FileName: m.GetFileName(), Info: &event.FileInfo{}}, evtType
	case msg.GetStickerMessage() != nil:
		m := msg.GetStickerMessage()
		return m, "sticker", &event.MessageEventContent{Body: "sticker",
			Info: &event.FileInfo{Width: int(m.GetWidth()), Height: int(m.GetHeight()), IsAnimated: m.GetIsAnimated()}}, event.EventSticker
	}
	return nil, "", nil, evtType
}

// waveform scales WhatsApp's 0–100 waveform bytes to the 0–1024 Matrix expects.
func waveform(in []byte) []int {
	out := make([]int, len(in))
	for i, v := range in {
		out[i] = int(v) * 1024 / 100
	}
	return out
}

// IsMedia reports whether a message carries a file MediaToMatrix can bridge: media, or
// contact cards (whose vCards are uploaded as files).
func IsMedia(msg *waE2E.Message) bool {
	file, _, _, _ := mediaOf(msg)
	return file != nil || isContact(msg)
}

// MediaToMatrix bridges a WhatsApp media message: the file is downloaded from WhatsApp and
// uploaded to Matrix, with its caption, mentions and reply. A file that is too large or fails
// to move becomes a notice saying so. maxSize 0 means no limit. Contact cards become one
// vCard file per contact.
func MediaToMatrix(ctx context.Context, chat types.JID, msg *waE2E.Message, media Media, users Users, maxSize int64) *bridgev2.ConvertedMessage {
	if isContact(msg) {
		return contactsToMatrix(ctx, chat, msg, media, maxSize)
	}
	file, kind, content, evtType := mediaOf(msg)
	if file == nil {
		return ToMatrix(ctx, chat, msg, users)
	}
	conv := &bridgev2.ConvertedMessage{ReplyTo: replyTarget(chat, file.GetContextInfo())}
	if size := int64(file.GetFileLength()); maxSize > 0 && size > maxSize {
		return withNotice(conv, fmt.Sprintf("The WhatsApp %s is too large to bridge (%.1f MiB; this homeserver accepts up to %.1f MiB). Open WhatsApp on your phone to see it.",
			kind, float64(size)/(1<<20), float64(maxSize)/(1<<20)))
	}
	data, err := media.Download(ctx, file)
	if err != nil {
		return withNotice(conv, fmt.Sprintf("Failed to download the WhatsApp %s (%v). Open WhatsApp on your phone to see it.", kind, err))
	}
	mimeType := file.GetMimetype()
	name := content.FileName
	if name == "" {
		name = kind + exmime.ExtensionFromMimetype(mimeType)
	}
	url, encrypted, err := media.Upload(ctx, data, name, mimeType)
	if err != nil {
		return withNotice(conv, fmt.Sprintf("Failed to upload the WhatsApp %s to Matrix (%v).", kind, err))
	}
	content.URL, content.File = url, encrypted
	content.FileName = name
	content.Info.MimeType, content.Info.Size = mimeType, len(data)
	if caption := content.Body; caption != "" && evtType != event.EventSticker {
		// The caption is the body; the file name marks it as a caption (MSC2530).
		text := TextToMatrix(ctx, caption, file.GetContextInfo().GetMentionedJID(), users)
		content.Body, content.Format, content.FormattedBody, content.Mentions = text.Body, text.Format, text.FormattedBody, text.Mentions
	} else if evtType != event.EventSticker {
		content.Body = name
	}
	conv.Parts = []*bridgev2.ConvertedMessagePart{{Type: evtType, Content: content}}
	return conv
}

// withNotice makes conv a single notice (keeping its reply target).
func withNotice(conv *bridgev2.ConvertedMessage, text string) *bridgev2.ConvertedMessage {
	conv.Parts = []*bridgev2.ConvertedMessagePart{{
		Type:    event.EventMessage,
		Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: text},
	}}
	return conv
}
