package tgfake

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
)

// DeliverForward makes from forward a message with text to the account `to` in their private
// chat. header says where it came from; users and chats are the entities Telegram sends along
// (the original author, the channel), so the bridge can name them. It returns the message ID.
func (n *Network) DeliverForward(ctx context.Context, to *Account, from *tg.User, text string, header tg.MessageFwdHeader, users []*tg.User, chats ...tg.ChatClass) (int, error) {
	id := n.nextMessageID(to.User.ID)
	header.SetFlags()
	msg := &tg.Message{ID: id, PeerID: &tg.PeerUser{UserID: from.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text, Date: int(time.Now().Unix())}
	msg.SetFwdFrom(header)
	msg.SetFlags()
	n.record(to.User.ID, from.ID, msg)
	entities := []tg.UserClass{from}
	for _, u := range users {
		entities = append(entities, u)
	}
	if err := n.pushEntities(ctx, to, entities, chats, &tg.UpdateNewMessage{Message: msg, PtsCount: 1}); err != nil {
		return 0, fmt.Errorf("deliver forward to %d: %w", to.User.ID, err)
	}
	return id, nil
}
