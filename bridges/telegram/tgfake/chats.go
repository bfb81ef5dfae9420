package tgfake

import (
	"context"
	"fmt"
	"slices"
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
	id := n.nextMessageID(to.User.ID)
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
	if !ok || !slices.Contains(fc.members, me.ID) {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	full := &tg.ChatFull{ID: fc.chat.ID, About: fc.about, Participants: &tg.ChatParticipants{ChatID: fc.chat.ID, Participants: parts, Version: 1}}
	full.SetFlags()
	if photo := n.chatPhoto(fc.chat.ID); photo != nil {
		full.SetChatPhoto(photo)
	}
	return s.SendResult(req, &tg.MessagesChatFull{FullChat: full, Chats: []tg.ChatClass{fc.chat}, Users: users})
}

// sendToChat records a message the bridge sent to a basic group.
func (n *Network) sendToChat(s *tgtest.Server, req *tgtest.Request, me *tg.User, chatID int64, r *tg.MessagesSendMessageRequest) error {
	n.mu.Lock()
	fc, ok := n.chats[chatID]
	member := ok && slices.Contains(fc.members, me.ID)
	n.nextMsg[me.ID]++
	id := n.nextMsg[me.ID]
	n.mu.Unlock()
	if !member {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	out := &tg.Message{ID: id, Out: true, PeerID: &tg.PeerChat{ChatID: chatID}, FromID: &tg.PeerUser{UserID: me.ID}, Message: r.Message, Entities: r.Entities, Date: int(time.Now().Unix())}
	out.SetFlags()
	n.record(me.ID, -chatID, out)
	n.mu.Lock()
	pts, count := n.own(me.ID, nil, &tg.UpdateNewMessage{Message: out})
	n.mu.Unlock()
	n.sent <- Sent{Kind: "message", From: me.ID, ToChat: chatID, ID: id, Text: r.Message, Entities: r.Entities}
	return s.SendResult(req, &tg.UpdateShortSentMessage{ID: id, Date: out.Date, Out: true, Pts: pts, PtsCount: count})
}

// DeliverService makes from perform a group action (title change, member added or removed)
// in a basic group, as seen by the account `to`.
func (n *Network) DeliverService(ctx context.Context, to *Account, chat *tg.Chat, from *tg.User, action tg.MessageActionClass, users ...*tg.User) error {
	id := n.nextMessageID(to.User.ID)
	msg := &tg.MessageService{ID: id, PeerID: &tg.PeerChat{ChatID: chat.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Action: action, Date: int(time.Now().Unix())}
	msg.SetFlags()
	entities := []tg.UserClass{from}
	for _, u := range users {
		entities = append(entities, u)
	}
	return n.pushEntities(ctx, to, entities, []tg.ChatClass{chat}, &tg.UpdateNewMessage{Message: msg, PtsCount: 1})
}

// chatOf returns a basic group the caller is a member of.
func (n *Network) chatOf(me *tg.User, chatID int64) (*fakeChat, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fc, ok := n.chats[chatID]
	return fc, ok && slices.Contains(fc.members, me.ID)
}

func inputUserID(u tg.InputUserClass) int64 {
	if in, ok := u.(*tg.InputUser); ok {
		return in.UserID
	}
	return 0
}

func (n *Network) editChatTitle(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesEditChatTitleRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	fc, ok := n.chatOf(me, r.ChatID)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	n.mu.Lock()
	fc.chat.Title = r.Title
	n.mu.Unlock()
	n.sent <- Sent{Kind: "title", From: me.ID, ToChat: r.ChatID, Text: r.Title}
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}

func (n *Network) editChatAbout(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesEditChatAboutRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	if ch, ok := r.Peer.(*tg.InputPeerChannel); ok {
		return n.editChannelAbout(s, req, me, ch, r.About)
	}
	peer, _ := r.Peer.(*tg.InputPeerChat)
	if peer == nil {
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	fc, ok := n.chatOf(me, peer.ChatID)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	n.mu.Lock()
	fc.about = r.About
	n.mu.Unlock()
	n.sent <- Sent{Kind: "about", From: me.ID, ToChat: peer.ChatID, Text: r.About}
	return s.SendBool(req, true)
}

func (n *Network) addChatUser(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesAddChatUserRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	fc, ok := n.chatOf(me, r.ChatID)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	user := inputUserID(r.UserID)
	n.mu.Lock()
	if !slices.Contains(fc.members, user) {
		fc.members = append(fc.members, user)
	}
	n.mu.Unlock()
	n.sent <- Sent{Kind: "invite", From: me.ID, ToChat: r.ChatID, To: user}
	return s.SendResult(req, &tg.MessagesInvitedUsers{Updates: &tg.Updates{Date: int(time.Now().Unix())}})
}

func (n *Network) deleteChatUser(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesDeleteChatUserRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	fc, ok := n.chatOf(me, r.ChatID)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
	}
	user := inputUserID(r.UserID)
	n.mu.Lock()
	for i, m := range fc.members {
		if m == user {
			fc.members = append(fc.members[:i], fc.members[i+1:]...)
			break
		}
	}
	n.mu.Unlock()
	n.sent <- Sent{Kind: "kick", From: me.ID, ToChat: r.ChatID, To: user}
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}
