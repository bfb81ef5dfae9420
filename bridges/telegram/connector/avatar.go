package connector

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"

	"github.com/gotd/td/telegram/downloader"
	"github.com/gotd/td/telegram/uploader"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

var _ bridgev2.RoomAvatarHandlingNetworkAPI = (*Client)(nil)

// maxAvatarSize bounds the download of a profile or group photo.
const maxAvatarSize = 10 * 1024 * 1024

func avatarID(photoID int64) networkid.AvatarID {
	return networkid.AvatarID(strconv.FormatInt(photoID, 10))
}

// photoAvatar is the room avatar of a group photo (its largest size); an empty or missing
// photo removes the avatar.
func (tc *Client) photoAvatar(photo tg.PhotoClass) *bridgev2.Avatar {
	p, ok := photo.(*tg.Photo)
	if !ok {
		return &bridgev2.Avatar{Remove: true}
	}
	size, ok := tgconv.LargestPhotoSize(p.Sizes)
	if !ok {
		return nil // nothing to download: keep what the room has
	}
	loc := &tg.InputPhotoFileLocation{ID: p.ID, AccessHash: p.AccessHash, FileReference: p.FileReference, ThumbSize: size.Type}
	return &bridgev2.Avatar{ID: avatarID(p.ID), Get: func(ctx context.Context) ([]byte, error) { return tc.download(ctx, loc) }}
}

// userAvatar is the ghost avatar of a user's profile photo, or nil if they have none.
func (tc *Client) userAvatar(u *tg.User) *bridgev2.Avatar {
	photo, ok := u.Photo.(*tg.UserProfilePhoto)
	if !ok {
		return nil
	}
	loc := &tg.InputPeerPhotoFileLocation{Peer: &tg.InputPeerUser{UserID: u.ID, AccessHash: u.AccessHash}, PhotoID: photo.PhotoID}
	loc.SetBig(true)
	return &bridgev2.Avatar{ID: avatarID(photo.PhotoID), Get: func(ctx context.Context) ([]byte, error) { return tc.download(ctx, loc) }}
}

// download reads a small Telegram file (a photo) into memory.
func (tc *Client) download(ctx context.Context, loc tg.InputFileLocationClass) ([]byte, error) {
	api := tc.client()
	if api == nil {
		return nil, errNotConnected
	}
	var buf bytes.Buffer
	if _, err := downloader.NewDownloader().Download(api, loc).Stream(ctx, &limitedBuffer{buf: &buf, left: maxAvatarSize}); err != nil {
		return nil, fmt.Errorf("download photo: %w", err)
	}
	return buf.Bytes(), nil
}

type limitedBuffer struct {
	buf  *bytes.Buffer
	left int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, errors.New("photo is larger than 10 MiB")
	}
	l.left -= len(p)
	return l.buf.Write(p)
}

// groupPhoto is a basic group's photo from messages.getFullChat, as the room avatar.
func (tc *Client) groupPhoto(full *tg.ChatFull) *bridgev2.Avatar {
	photo, _ := full.GetChatPhoto()
	return tc.photoAvatar(photo)
}

// HandleMatrixRoomAvatar sets (or removes) the photo of a basic group to the room's avatar.
func (tc *Client) HandleMatrixRoomAvatar(ctx context.Context, msg *bridgev2.MatrixRoomAvatar) (bool, error) {
	kind, chatID, err := ids.ParsePortal(msg.Portal.ID)
	if err != nil {
		return false, err
	}
	if kind == ids.KindUser {
		return false, refused(errors.New("Telegram private chats have no photo to change"))
	}
	api := tc.client()
	if api == nil {
		return false, errNotConnected
	}
	var photo tg.InputChatPhotoClass = &tg.InputChatPhotoEmpty{}
	var data []byte
	if msg.Content.URL != "" {
		if data, err = tc.conn.Bridge.Bot.DownloadMedia(ctx, msg.Content.URL, nil); err != nil {
			return false, fmt.Errorf("download room avatar: %w", err)
		}
		file, err := uploader.NewUploader(api).FromBytes(ctx, "avatar.jpg", data)
		if err != nil {
			return false, notAccepted("change", fmt.Errorf("upload photo: %w", err))
		}
		uploaded := &tg.InputChatUploadedPhoto{}
		uploaded.SetFile(file)
		photo = uploaded
	}
	var updates tg.UpdatesClass
	if kind == ids.KindChannel {
		updates, err = api.ChannelsEditPhoto(ctx, &tg.ChannelsEditPhotoRequest{Channel: tc.inputChannel(chatID), Photo: photo})
	} else {
		updates, err = api.MessagesEditChatPhoto(ctx, &tg.MessagesEditChatPhotoRequest{ChatID: chatID, Photo: photo})
	}
	if err != nil {
		return false, notAccepted("change", err)
	}
	if kind != ids.KindChannel {
		tc.absorb(ctx, updates)
	}
	msg.Portal.AvatarID = ""
	if id, ok := newChatPhotoID(updates); ok {
		msg.Portal.AvatarID = avatarID(id)
	}
	msg.Portal.AvatarMXC = msg.Content.URL
	msg.Portal.AvatarHash = [32]byte{}
	if data != nil {
		msg.Portal.AvatarHash = sha256.Sum256(data)
	}
	return true, nil
}

// newChatPhotoID finds the new photo in Telegram's answer to messages.editChatPhoto.
func newChatPhotoID(updates tg.UpdatesClass) (int64, bool) {
	u, ok := updates.(*tg.Updates)
	if !ok {
		return 0, false
	}
	for _, upd := range u.Updates {
		nm, ok := upd.(*tg.UpdateNewMessage)
		if !ok {
			continue
		}
		if svc, ok := nm.Message.(*tg.MessageService); ok {
			if a, ok := svc.Action.(*tg.MessageActionChatEditPhoto); ok && a.Photo != nil {
				return a.Photo.GetID(), true
			}
		}
	}
	return 0, false
}
