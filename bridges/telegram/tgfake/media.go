package tgfake

import (
	"bytes"
	"context"
	"crypto/md5" // #nosec G501 -- Telegram's upload checksum
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// mediaStore keeps the fake's files: parts the bridge is uploading, and the photos and
// documents Telegram users "sent", which the bridge downloads with upload.getFile.
type mediaStore struct {
	mu       sync.Mutex
	parts    map[uploadKey]map[int][]byte // upload → part number → bytes
	files    map[int64]*storedFile        // photo or document ID → file
	failing  map[int64]bool               // files whose downloads fail
	nextFile int64
}

type uploadKey struct {
	user int64
	file int64
}

type storedFile struct {
	data       []byte
	accessHash int64
	fileRef    []byte
	thumb      string // the photo size to ask for; "" for documents
}

func (m *mediaStore) init() {
	if m.parts == nil {
		m.parts, m.files, m.failing = map[uploadKey]map[int][]byte{}, map[int64]*storedFile{}, map[int64]bool{}
	}
}

func (m *mediaStore) add(data []byte, thumb string) (int64, *storedFile) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	m.nextFile++
	id := 5_000_000 + m.nextFile
	f := &storedFile{data: append([]byte(nil), data...), accessHash: id * 7907, fileRef: []byte(fmt.Sprintf("ref-%d", id)), thumb: thumb}
	m.files[id] = f
	return id, f
}

func (n *Network) registerMedia(d *tgtest.Dispatcher) {
	d.HandleFunc(tg.UploadSaveFilePartRequestTypeID, n.saveFilePart)
	d.HandleFunc(tg.UploadSaveBigFilePartRequestTypeID, n.saveBigFilePart)
	d.HandleFunc(tg.UploadGetFileRequestTypeID, n.getFile)
	d.HandleFunc(tg.MessagesSendMediaRequestTypeID, n.sendMedia)
}

// AddPhoto stores a JPEG photo of the given size as Telegram would, with one downloadable
// size ("y"). Put it in a message with DeliverMedia(…, &tg.MessageMediaPhoto{Photo: p}, …).
func (n *Network) AddPhoto(data []byte, w, h int) *tg.Photo {
	id, f := n.media.add(data, "y")
	return &tg.Photo{ID: id, AccessHash: f.accessHash, FileReference: f.fileRef, Date: int(time.Now().Unix()), DCID: DCID,
		Sizes: []tg.PhotoSizeClass{
			&tg.PhotoStrippedSize{Type: "i", Bytes: []byte{1, 2, 3}},
			&tg.PhotoSize{Type: "m", W: w / 4, H: h / 4, Size: len(data) / 8},
			&tg.PhotoSize{Type: "y", W: w, H: h, Size: len(data)},
		}}
}

// AddDocument stores a file with its MIME type, a file name (if not empty) and further
// attributes (voice, video, sticker, animated, …). Put it in a message with
// DeliverMedia(…, &tg.MessageMediaDocument{Document: d}, …).
func (n *Network) AddDocument(data []byte, mime, name string, attrs ...tg.DocumentAttributeClass) *tg.Document {
	id, f := n.media.add(data, "")
	if name != "" {
		attrs = append(attrs, &tg.DocumentAttributeFilename{FileName: name})
	}
	return &tg.Document{ID: id, AccessHash: f.accessHash, FileReference: f.fileRef, Date: int(time.Now().Unix()),
		MimeType: mime, Size: int64(len(data)), DCID: DCID, Attributes: attrs}
}

// FailDownloads makes upload.getFile of a stored photo or document answer FILE_ID_INVALID.
func (n *Network) FailDownloads(id int64) {
	n.media.mu.Lock()
	defer n.media.mu.Unlock()
	n.media.init()
	n.media.failing[id] = true
}

// DeliverMedia makes from send media (a photo, a document, a location, a contact, ...) with a
// caption (which may be empty and may have formatting entities), in the private chat with
// `to`. It returns the message ID.
func (n *Network) DeliverMedia(ctx context.Context, to *Account, from *tg.User, media tg.MessageMediaClass, caption string, entities ...tg.MessageEntityClass) (int, error) {
	id := n.nextMessageID(to.User.ID)
	msg := &tg.Message{ID: id, PeerID: &tg.PeerUser{UserID: from.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: caption,
		Entities: entities, Media: media, Date: int(time.Now().Unix())}
	msg.SetFlags()
	return id, n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateNewMessage{Message: msg, Pts: id, PtsCount: 1})
}

func (n *Network) savePart(s *tgtest.Server, req *tgtest.Request, file int64, part int, data []byte) error {
	me, ok := n.self(req)
	if !ok {
		return s.SendErr(req, tgerr.New(401, "AUTH_KEY_UNREGISTERED"))
	}
	if n.dropUpload() {
		return errDropped
	}
	if part < 0 || part >= 4000 || len(data) == 0 || len(data) > 512*1024 {
		return s.SendErr(req, tgerr.New(400, "FILE_PART_INVALID"))
	}
	n.media.mu.Lock()
	n.media.init()
	key := uploadKey{user: me.ID, file: file}
	if n.media.parts[key] == nil {
		n.media.parts[key] = map[int][]byte{}
	}
	n.media.parts[key][part] = append([]byte(nil), data...)
	n.media.mu.Unlock()
	return s.SendBool(req, true)
}

func (n *Network) saveFilePart(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.UploadSaveFilePartRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	return n.savePart(s, req, r.FileID, r.FilePart, r.Bytes)
}

func (n *Network) saveBigFilePart(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.UploadSaveBigFilePartRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	return n.savePart(s, req, r.FileID, r.FilePart, r.Bytes)
}

// assemble joins the parts of an uploaded file, checking they are all there (and the MD5 of
// small files), and forgets them.
func (n *Network) assemble(user int64, file tg.InputFileClass) ([]byte, *tgerr.Error) {
	var id int64
	var count int
	var checksum string
	switch f := file.(type) {
	case *tg.InputFile:
		id, count, checksum = f.ID, f.Parts, f.MD5Checksum
	case *tg.InputFileBig:
		id, count = f.ID, f.Parts
	default:
		return nil, tgerr.New(400, "FILE_PARTS_INVALID")
	}
	n.media.mu.Lock()
	n.media.init()
	key := uploadKey{user: user, file: id}
	parts := n.media.parts[key]
	delete(n.media.parts, key)
	n.media.mu.Unlock()
	if count <= 0 || len(parts) != count {
		return nil, tgerr.New(400, "FILE_PARTS_INVALID")
	}
	var buf bytes.Buffer
	for i := range count {
		p, ok := parts[i]
		if !ok {
			return nil, tgerr.New(400, "FILE_PARTS_INVALID")
		}
		buf.Write(p)
	}
	if checksum != "" {
		sum := md5.Sum(buf.Bytes()) // #nosec G401
		if hex.EncodeToString(sum[:]) != checksum {
			return nil, tgerr.New(400, "MD5_CHECKSUM_INVALID")
		}
	}
	return buf.Bytes(), nil
}

func (n *Network) sendMedia(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesSendMediaRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	sent := Sent{Kind: "media", From: me.ID, Text: r.Message, Entities: r.Entities}
	switch peer := r.Peer.(type) {
	case *tg.InputPeerUser:
		n.mu.Lock()
		target, known := n.users[peer.UserID]
		n.mu.Unlock()
		if !known || target.AccessHash != peer.AccessHash {
			return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
		}
		sent.To = peer.UserID
	case *tg.InputPeerChannel:
		if _, ok := n.channelByID(me, peer.ChannelID, peer.AccessHash); !ok {
			return s.SendErr(req, tgerr.New(400, "CHANNEL_PRIVATE"))
		}
		sent.ToChannel = peer.ChannelID
	default:
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	if rt, ok := r.ReplyTo.(*tg.InputReplyToMessage); ok {
		sent.ReplyTo = rt.ReplyToMsgID
	}
	var file tg.InputFileClass
	switch m := r.Media.(type) {
	case *tg.InputMediaGeoPoint:
		point, ok := m.GeoPoint.(*tg.InputGeoPoint)
		if !ok {
			return s.SendErr(req, tgerr.New(400, "MEDIA_INVALID"))
		}
		sent.Media, sent.Lat, sent.Long = "geo", point.Lat, point.Long
		sent.AccuracyRadius, _ = point.GetAccuracyRadius()
		return n.mediaSent(s, req, me.ID, sent, r.RandomID)
	case *tg.InputMediaPoll:
		return n.sendPoll(s, req, me.ID, sent, m, r.RandomID)
	case *tg.InputMediaUploadedPhoto:
		sent.Media, sent.MimeType, file = "photo", "image/jpeg", m.File
	case *tg.InputMediaUploadedDocument:
		sent.Media, sent.MimeType, sent.Attributes, file = "document", m.MimeType, m.Attributes, m.File
		for _, a := range m.Attributes {
			switch a := a.(type) {
			case *tg.DocumentAttributeFilename:
				sent.FileName = a.FileName
			case *tg.DocumentAttributeAudio:
				sent.Voice = a.Voice
			}
		}
	default:
		return s.SendErr(req, tgerr.New(400, "MEDIA_INVALID"))
	}
	data, rpcErr := n.assemble(me.ID, file)
	if rpcErr != nil {
		return s.SendErr(req, rpcErr)
	}
	sent.Data = data
	return n.mediaSent(s, req, me.ID, sent, r.RandomID)
}

// mediaSent numbers a sent media message, reports it and answers the sender.
func (n *Network) mediaSent(s *tgtest.Server, req *tgtest.Request, from int64, sent Sent, randomID int64) error {
	if sent.ToChannel != 0 {
		return n.channelMediaSent(s, req, sent, randomID)
	}
	sent.ID = n.nextMessageID(from)
	now := int(time.Now().Unix())
	// Like Telegram, answer with the new message's ID and the update that announces it,
	// numbered in the sender's pts. The fake keeps no file for it: the message carries the
	// caption, and the map point of a location.
	msg := &tg.Message{ID: sent.ID, Out: true, PeerID: &tg.PeerUser{UserID: sent.To}, FromID: &tg.PeerUser{UserID: from},
		Message: sent.Text, Entities: sent.Entities, Date: now}
	if sent.Media == "geo" {
		msg.Media = &tg.MessageMediaGeo{Geo: &tg.GeoPoint{Lat: sent.Lat, Long: sent.Long}}
	}
	msg.SetFlags()
	u := &tg.UpdateNewMessage{Message: msg}
	n.mu.Lock()
	users, _ := n.peerEntities(n.users[from], sent.To)
	n.own(from, users, u)
	n.mu.Unlock()
	n.sent <- sent
	return s.SendResult(req, &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateMessageID{ID: sent.ID, RandomID: randomID}, u},
		Users:   users, Date: now,
	})
}

func (n *Network) getFile(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.UploadGetFileRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	if _, ok := n.self(req); !ok {
		return s.SendErr(req, tgerr.New(401, "AUTH_KEY_UNREGISTERED"))
	}
	var (
		id, hash int64
		ref      []byte
		thumb    string
	)
	switch loc := r.Location.(type) {
	case *tg.InputPhotoFileLocation:
		id, hash, ref, thumb = loc.ID, loc.AccessHash, loc.FileReference, loc.ThumbSize
	case *tg.InputDocumentFileLocation:
		id, hash, ref, thumb = loc.ID, loc.AccessHash, loc.FileReference, loc.ThumbSize
	case *tg.InputPeerPhotoFileLocation:
		id, hash, ref, thumb = n.peerPhotoFile(loc)
	default:
		return s.SendErr(req, tgerr.New(400, "LOCATION_INVALID"))
	}
	n.media.mu.Lock()
	n.media.init()
	f, ok := n.media.files[id]
	failing := n.media.failing[id]
	n.media.mu.Unlock()
	switch {
	case !ok || failing || f.accessHash != hash || f.thumb != thumb:
		return s.SendErr(req, tgerr.New(400, "FILE_ID_INVALID"))
	case !bytes.Equal(f.fileRef, ref):
		return s.SendErr(req, tgerr.New(400, "FILE_REFERENCE_EXPIRED"))
	case r.Offset < 0 || r.Limit <= 0 || r.Limit > 1024*1024:
		return s.SendErr(req, tgerr.New(400, "LIMIT_INVALID"))
	}
	start := min(r.Offset, int64(len(f.data)))
	end := min(start+int64(r.Limit), int64(len(f.data)))
	var typ tg.StorageFileTypeClass = &tg.StorageFilePartial{}
	if thumb != "" {
		typ = &tg.StorageFileJpeg{}
	}
	return s.SendResult(req, &tg.UploadFile{Type: typ, Mtime: int(time.Now().Unix()), Bytes: f.data[start:end]})
}
