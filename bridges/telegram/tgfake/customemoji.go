package tgfake

import (
	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgtest"
)

// AddCustomEmoji makes a custom emoji (a sticker standing for alt) and returns its document ID.
func (n *Network) AddCustomEmoji(alt string) int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.customEmoji == nil {
		n.customEmoji = map[int64]string{}
	}
	id := int64(880000 + len(n.customEmoji) + 1)
	n.customEmoji[id] = alt
	return id
}

func (n *Network) customEmojiAlt(id int64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.customEmoji[id]
}

// getCustomEmojiDocuments describes custom emoji: documents with the emoji they stand for.
func (n *Network) getCustomEmojiDocuments(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesGetCustomEmojiDocumentsRequest
	if _, ok, err := n.caller(s, req, &r); !ok {
		return err
	}
	var docs []bin.Encoder
	for _, id := range r.DocumentID {
		alt := n.customEmojiAlt(id)
		if alt == "" {
			continue
		}
		docs = append(docs, &tg.Document{ID: id, AccessHash: id, MimeType: "application/x-tgsticker", DCID: DCID,
			Attributes: []tg.DocumentAttributeClass{&tg.DocumentAttributeCustomEmoji{Alt: alt, Stickerset: &tg.InputStickerSetEmpty{}}}})
	}
	return s.SendVector(req, docs...)
}
