package tgfake

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// fakeChat is a Telegram basic group.
type fakeChat struct {
	chat    *tg.Chat
	about   string
	creator int64
	admins  map[int64]bool
	members []int64
}

// AddChat creates a basic group: creator owns it, the others are members.
func (n *Network) AddChat(title, about string, creator *tg.User, members ...*tg.User) *tg.Chat {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nextChat++
	chat := &tg.Chat{ID: 500000 + n.nextChat, Title: title, Photo: &tg.ChatPhotoEmpty{}, ParticipantsCount: len(members) + 1, Date: int(time.Now().Unix()), Version: 1}
	chat.SetFlags()
	fc := &fakeChat{chat: chat, about: about, creator: creator.ID, admins: map[int64]bool{}, members: []int64{creator.ID}}
	for _, m := range members {
		fc.members = append(fc.members, m.ID)
	}
	if n.chats == nil {
		n.chats = map[int64]*fakeChat{}
	}
	n.chats[chat.ID] = fc
	return chat
}

// MakeAdmin makes a member an admin of a basic group.
func (n *Network) MakeAdmin(chat *tg.Chat, user *tg.User) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.chats[chat.ID].admins[user.ID] = true
}

// DeliverToChat makes from write text in a basic group, as seen by the account `to`.
func (n *Network) DeliverToChat(ctx context.Context, to *Account, chat *tg.Chat, from *tg.User, text string) (int, error) {
	n.mu.Lock()
	n.nextMsg[to.User.ID]++
	id := n.nextMsg[to.User.ID]
	n.mu.Unlock()
	msg := &tg.Message{ID: id, PeerID: &tg.PeerChat{ChatID: chat.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text, Date: int(time.Now().Unix())}
	msg.SetFlags()
	n.record(to.User.ID, -chat.ID, msg)
	if err := n.pushEntities(ctx, to, []tg.UserClass{from}, []tg.ChatClass{chat}, &tg.UpdateNewMessage{Message: msg, PtsCount: 1}); err != nil {
		return 0, fmt.Errorf("deliver to group %d: %w", chat.ID, err)
	}
	return id, nil
}

func (n *Network) getFullChat(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesGetFullChatRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	fc, ok := n.chats[r.ChatID]
	var users []tg.UserClass
	var parts []tg.ChatParticipantClass
	if ok {
		for _, id := range fc.members {
			users = append(users, n.users[id])
			switch {
			case id == fc.creator:
				parts = append(parts, &tg.ChatParticipantCreator{UserID: id})
			case fc.admins[id]:
				parts = append(parts, &tg.ChatParticipantAdmin{UserID: id, InviterID: fc.creator, Date: fc.chat.Date})
			default:
				parts = append(parts, &tg.ChatParticipant{UserID: id, InviterID: fc.creator, Date: fc.chat.Date})
			}
		}
	}
	n.mu.Unlock()
	if !ok || !contains(fc.members, me.ID) {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	full := &tg.ChatFull{ID: fc.chat.ID, About: fc.about, Participants: &tg.ChatParticipants{ChatID: fc.chat.ID, Participants: parts, Version: 1}}
	full.SetFlags()
	return s.SendResult(req, &tg.MessagesChatFull{FullChat: full, Chats: []tg.ChatClass{fc.chat}, Users: users})
}

// sendToChat records a message the bridge sent to a basic group.
func (n *Network) sendToChat(s *tgtest.Server, req *tgtest.Request, me *tg.User, chatID int64, r *tg.MessagesSendMessageRequest) error {
	n.mu.Lock()
	fc, ok := n.chats[chatID]
	member := ok && contains(fc.members, me.ID)
	n.nextMsg[me.ID]++
	id := n.nextMsg[me.ID]
	n.mu.Unlock()
	if !member {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	out := &tg.Message{ID: id, Out: true, PeerID: &tg.PeerChat{ChatID: chatID}, FromID: &tg.PeerUser{UserID: me.ID}, Message: r.Message, Entities: r.Entities, Date: int(time.Now().Unix())}
	out.SetFlags()
	n.record(me.ID, -chatID, out)
	n.sent <- Sent{Kind: "message", From: me.ID, ToChat: chatID, ID: id, Text: r.Message, Entities: r.Entities}
	return s.SendResult(req, &tg.UpdateShortSentMessage{ID: id, Date: int(time.Now().Unix()), Out: true})
}

func contains(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
