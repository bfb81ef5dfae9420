package tgfake

import (
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

func (n *Network) registerCreate(d *tgtest.Dispatcher) {
	d.HandleFunc(tg.MessagesCreateChatRequestTypeID, n.createChat)
	d.HandleFunc(tg.ChannelsCreateChannelRequestTypeID, n.createChannel)
}

// Created is a group, supergroup or channel the bridge created.
type Created struct {
	Kind    string // "group", "supergroup" or "channel"
	ID      int64
	Title   string
	About   string
	Members []int64 // besides the creator
}

// CreatedBy returns what account userID created, oldest first.
func (n *Network) CreatedBy(userID int64) []Created {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []Created
	for _, c := range n.created {
		if c.creator != userID {
			continue
		}
		if fc, ok := n.chats[c.ID]; ok {
			c.Title, c.About, c.Members = fc.chat.Title, fc.about, append([]int64(nil), fc.members[1:]...)
		}
		if fc, ok := n.channels[c.ID]; ok {
			c.Title, c.About, c.Members = fc.ch.Title, fc.about, append([]int64(nil), fc.members[1:]...)
		}
		out = append(out, c.Created)
	}
	return out
}

type created struct {
	Created
	creator int64
}

// inputUsers resolves the users of a request, checking their access hashes. Callers hold n.mu.
func (n *Network) inputUsers(in []tg.InputUserClass) ([]*tg.User, bool) {
	out := make([]*tg.User, 0, len(in))
	for _, u := range in {
		iu, ok := u.(*tg.InputUser)
		if !ok {
			return nil, false
		}
		user, ok := n.users[iu.UserID]
		if !ok || user.AccessHash != iu.AccessHash {
			return nil, false
		}
		out = append(out, user)
	}
	return out, true
}

func (n *Network) createChat(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesCreateChatRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	users, ok := n.inputUsers(r.Users)
	n.mu.Unlock()
	switch {
	case !ok:
		return s.SendErr(req, tgerr.New(400, "USER_ID_INVALID"))
	case r.Title == "":
		return s.SendErr(req, tgerr.New(400, "CHAT_TITLE_EMPTY"))
	}
	chat := n.AddChat(r.Title, "", me, users...)
	n.mu.Lock()
	n.created = append(n.created, created{Created{Kind: "group", ID: chat.ID}, me.ID})
	n.mu.Unlock()
	return s.SendResult(req, &tg.MessagesInvitedUsers{Updates: &tg.Updates{Chats: []tg.ChatClass{chat}, Date: int(time.Now().Unix())}})
}

func (n *Network) createChannel(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsCreateChannelRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	if r.Title == "" {
		return s.SendErr(req, tgerr.New(400, "CHAT_TITLE_EMPTY"))
	}
	ch := n.addChannel(r.Title, r.About, r.Broadcast, me, nil)
	kind := "supergroup"
	if r.Broadcast {
		kind = "channel"
	}
	n.mu.Lock()
	n.created = append(n.created, created{Created{Kind: kind, ID: ch.ID}, me.ID})
	view := n.channels[ch.ID].view(me.ID)
	n.mu.Unlock()
	return s.SendResult(req, &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdateChannel{ChannelID: ch.ID}}, Chats: []tg.ChatClass{view}, Date: int(time.Now().Unix())})
}
