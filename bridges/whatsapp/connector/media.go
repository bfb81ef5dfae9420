package connector

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// mediaMover moves one WhatsApp file into a portal room.
type mediaMover struct {
	wc     *Client
	intent bridgev2.MatrixAPI
	room   id.RoomID
}

func (m mediaMover) Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error) {
	if m.wc.wa == nil {
		return nil, errNotConnected
	}
	return m.wc.wa.Download(ctx, msg)
}

func (m mediaMover) Upload(ctx context.Context, data []byte, fileName, mimeType string) (id.ContentURIString, *event.EncryptedFileInfo, error) {
	return m.intent.UploadMedia(ctx, m.room, data, fileName, mimeType)
}

// mediaToWhatsApp fetches a Matrix file, uploads it to WhatsApp and builds the message.
func (wc *Client) mediaToWhatsApp(ctx context.Context, msg *bridgev2.MatrixMessage, mediaType whatsmeow.MediaType) (*waE2E.Message, error) {
	if wc.wa == nil {
		return nil, errNotConnected
	}
	data, err := wc.conn.Bridge.Bot.DownloadMedia(ctx, msg.Content.URL, msg.Content.File)
	if err != nil {
		return nil, errMatrixDownload(err)
	}
	up, err := wc.wa.Upload(ctx, data, mediaType)
	if err != nil {
		return nil, sendFailed(fmt.Errorf("upload %s: %w", mediaType, err))
	}
	return waconv.MediaToWhatsApp(ctx, msg.Content, up, msg.ReplyTo, wc.users())
}
