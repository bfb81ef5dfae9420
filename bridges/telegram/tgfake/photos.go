package tgfake

import (
	"sync"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// photoStore keeps the current profile photo of users and the photo of basic groups.
type photoStore struct {
	mu     sync.Mutex
	byPeer map[int64]*tg.Photo // user ID, or minus the chat ID → photo
}

func (p *photoStore) set(key int64, photo *tg.Photo) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byPeer == nil {
		p.byPeer = map[int64]*tg.Photo{}
	}
	if photo == nil {
		delete(p.byPeer, key)
		return
	}
	p.byPeer[key] = photo
}

func (p *photoStore) of(key int64) *tg.Photo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byPeer[key]
}

// SetUserPhoto gives a user a profile photo (a JPEG), which the bridge downloads with
// upload.getFile of the user's peer photo. Call it before the user appears in any update.
func (n *Network) SetUserPhoto(u *tg.User, data []byte) *tg.Photo {
	photo := n.AddPhoto(data, 640, 640)
	n.photos.set(u.ID, photo)
	n.mu.Lock()
	u.Photo = &tg.UserProfilePhoto{PhotoID: photo.ID, DCID: DCID}
	u.SetFlags()
	n.mu.Unlock()
	return photo
}

// SetChatPhoto gives a basic group a photo (a JPEG) and returns it, e.g. for a
// MessageActionChatEditPhoto service message.
func (n *Network) SetChatPhoto(chat *tg.Chat, data []byte) *tg.Photo {
	photo := n.AddPhoto(data, 640, 640)
	n.setChatPhoto(chat.ID, photo)
	return photo
}

func (n *Network) setChatPhoto(chatID int64, photo *tg.Photo) {
	n.photos.set(-chatID, photo)
	n.mu.Lock()
	defer n.mu.Unlock()
	fc, ok := n.chats[chatID]
	if !ok {
		return
	}
	if photo == nil {
		fc.chat.Photo = &tg.ChatPhotoEmpty{}
	} else {
		fc.chat.Photo = &tg.ChatPhoto{PhotoID: photo.ID, DCID: DCID}
	}
}

// chatPhoto is a basic group's photo for messages.getFullChat, nil without one.
func (n *Network) chatPhoto(chatID int64) tg.PhotoClass {
	if p := n.photos.of(-chatID); p != nil {
		return p
	}
	return nil
}

// peerPhotoFile finds the stored file of a peer's current photo (zero ID if the peer has no
// such photo), for upload.getFile.
func (n *Network) peerPhotoFile(loc *tg.InputPeerPhotoFileLocation) (id, hash int64, ref []byte, thumb string) {
	var key int64
	switch p := loc.Peer.(type) {
	case *tg.InputPeerUser:
		key = p.UserID
	case *tg.InputPeerChat:
		key = -p.ChatID
	}
	photo := n.photos.of(key)
	if photo == nil || photo.ID != loc.PhotoID {
		return 0, 0, nil, ""
	}
	return photo.ID, photo.AccessHash, photo.FileReference, "y"
}

// editChatPhoto sets or removes a group's photo (Sent Kind "chatphoto", Data the uploaded
// photo, none for a removal) and answers with the service message, as Telegram does.
func (n *Network) editChatPhoto(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesEditChatPhotoRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	if _, ok := n.chatOf(me, r.ChatID); !ok {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	sent := Sent{Kind: "chatphoto", From: me.ID, ToChat: r.ChatID}
	var action tg.MessageActionClass = &tg.MessageActionChatDeletePhoto{}
	switch in := r.Photo.(type) {
	case *tg.InputChatPhotoEmpty:
		n.setChatPhoto(r.ChatID, nil)
	case *tg.InputChatUploadedPhoto:
		file, ok := in.GetFile()
		if !ok {
			return s.SendErr(req, tgerr.New(400, "PHOTO_INVALID"))
		}
		data, rpcErr := n.assemble(me.ID, file)
		if rpcErr != nil {
			return s.SendErr(req, rpcErr)
		}
		sent.Data, sent.Media = data, "photo"
		photo := n.SetChatPhoto(&tg.Chat{ID: r.ChatID}, data)
		action = &tg.MessageActionChatEditPhoto{Photo: photo}
	default:
		return s.SendErr(req, tgerr.New(400, "PHOTO_INVALID"))
	}
	id := n.nextMessageID(me.ID)
	msg := &tg.MessageService{ID: id, Out: true, PeerID: &tg.PeerChat{ChatID: r.ChatID}, FromID: &tg.PeerUser{UserID: me.ID}, Action: action, Date: int(time.Now().Unix())}
	msg.SetFlags()
	n.sent <- sent
	return s.SendResult(req, &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdateNewMessage{Message: msg}}, Date: int(time.Now().Unix())})
}
