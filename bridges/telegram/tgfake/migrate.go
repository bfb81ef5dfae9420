package tgfake

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
)

// DeliverMigration upgrades a basic group to a supergroup, as Telegram does: a new channel with
// the same members (the group's creator owns it), a service message in the old group saying
// where it went (shown to the account `to`), and a first message in the new one saying where it
// came from. It returns the supergroup.
func (n *Network) DeliverMigration(ctx context.Context, to *Account, chat *tg.Chat, by *tg.User) (*tg.Channel, error) {
	n.mu.Lock()
	fc := n.chats[chat.ID]
	creator := n.users[fc.creator]
	var members []*tg.User
	for _, id := range fc.members[1:] {
		members = append(members, n.users[id])
	}
	n.mu.Unlock()
	ch := n.addChannel(chat.Title, fc.about, false, creator, members)

	id := n.nextMessageID(to.User.ID)
	moved := &tg.MessageService{ID: id, PeerID: &tg.PeerChat{ChatID: chat.ID}, FromID: &tg.PeerUser{UserID: by.ID},
		Action: &tg.MessageActionChatMigrateTo{ChannelID: ch.ID}, Date: int(time.Now().Unix())}
	moved.SetFlags()
	if err := n.pushEntities(ctx, to, []tg.UserClass{by}, []tg.ChatClass{chat}, &tg.UpdateNewMessage{Message: moved, PtsCount: 1}); err != nil {
		return nil, fmt.Errorf("migrate group %d: %w", chat.ID, err)
	}

	n.mu.Lock()
	channel := n.channels[ch.ID]
	channel.nextMsg++
	from := &tg.MessageService{ID: channel.nextMsg, PeerID: &tg.PeerChannel{ChannelID: ch.ID}, FromID: &tg.PeerUser{UserID: by.ID},
		Action: &tg.MessageActionChannelMigrateFrom{Title: chat.Title, ChatID: chat.ID}, Date: int(time.Now().Unix())}
	from.SetFlags()
	u := channel.logMessage(from)
	n.mu.Unlock()
	if err := n.pushChannel(ctx, channel, 0, []tg.UserClass{by}, u); err != nil {
		return nil, fmt.Errorf("migrate group %d: %w", chat.ID, err)
	}
	return ch, nil
}
