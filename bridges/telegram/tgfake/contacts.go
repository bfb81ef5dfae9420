package tgfake

import (
	"strings"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// AddContact saves user in the account's Telegram contacts.
func (n *Network) AddContact(acct *Account, user *tg.User) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.contacts == nil {
		n.contacts = map[int64][]int64{}
	}
	n.contacts[acct.User.ID] = append(n.contacts[acct.User.ID], user.ID)
}

// findUser returns the first user matching f.
func (n *Network) findUser(f func(*tg.User) bool) *tg.User {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, u := range n.users {
		if f(u) {
			return u
		}
	}
	return nil
}

func (n *Network) resolveUsername(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ContactsResolveUsernameRequest
	if _, ok, err := n.caller(s, req, &r); !ok {
		return err
	}
	u := n.findUser(func(u *tg.User) bool { return u.Username != "" && strings.EqualFold(u.Username, r.Username) })
	if u == nil {
		if ch := n.publicChannel(r.Username); ch != nil {
			return s.SendResult(req, &tg.ContactsResolvedPeer{Peer: &tg.PeerChannel{ChannelID: ch.ID}, Chats: []tg.ChatClass{ch}})
		}
		return s.SendErr(req, tgerr.New(400, "USERNAME_NOT_OCCUPIED"))
	}
	return s.SendResult(req, &tg.ContactsResolvedPeer{Peer: &tg.PeerUser{UserID: u.ID}, Users: []tg.UserClass{u}})
}

func (n *Network) resolvePhone(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ContactsResolvePhoneRequest
	if _, ok, err := n.caller(s, req, &r); !ok {
		return err
	}
	u := n.findUser(func(u *tg.User) bool { return u.Phone != "" && u.Phone == r.Phone })
	if u == nil {
		return s.SendErr(req, tgerr.New(400, "PHONE_NOT_OCCUPIED"))
	}
	return s.SendResult(req, &tg.ContactsResolvedPeer{Peer: &tg.PeerUser{UserID: u.ID}, Users: []tg.UserClass{u}})
}

func (n *Network) getContacts(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ContactsGetContactsRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	resp := &tg.ContactsContacts{}
	for _, id := range n.contacts[me.ID] {
		resp.Contacts = append(resp.Contacts, tg.Contact{UserID: id})
		resp.Users = append(resp.Users, n.users[id])
	}
	n.mu.Unlock()
	resp.SavedCount = len(resp.Contacts)
	return s.SendResult(req, resp)
}
