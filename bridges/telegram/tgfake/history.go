package tgfake

import (
	"sort"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// history keeps every message of every account's private chats, as Telegram's servers do, so
// that the bridge can backfill new rooms and catch up after downtime.
type history struct {
	chats map[int64]map[int64][]*tg.Message // account → peer user → messages, oldest first
}

func (n *Network) registerHistory(d *tgtest.Dispatcher) {
	d.HandleFunc(tg.MessagesGetHistoryRequestTypeID, n.getHistory)
	d.HandleFunc(tg.MessagesGetDialogsRequestTypeID, n.getDialogs)
}

// record stores a message of the private chat between account and peer.
func (n *Network) record(account, peer int64, msg *tg.Message) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.history.chats == nil {
		n.history.chats = map[int64]map[int64][]*tg.Message{}
	}
	if n.history.chats[account] == nil {
		n.history.chats[account] = map[int64][]*tg.Message{}
	}
	n.history.chats[account][peer] = append(n.history.chats[account][peer], msg)
}

// AddHistory stores a message from `from` to the account without pushing it anywhere, as if
// it arrived while the bridge was not connected. It returns the message ID.
func (n *Network) AddHistory(to *Account, from *tg.User, text string) int {
	id := n.nextMessageID(to.User.ID)
	msg := &tg.Message{ID: id, PeerID: &tg.PeerUser{UserID: from.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text, Date: int(time.Now().Unix())}
	msg.SetFlags()
	n.record(to.User.ID, from.ID, msg)
	return id
}

func (n *Network) getHistory(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesGetHistoryRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	if ch, ok := r.Peer.(*tg.InputPeerChannel); ok {
		return n.channelHistory(s, req, me, ch, &r)
	}
	var key int64 // the chat's key in history: the peer user, or minus a basic group's ID
	switch peer := r.Peer.(type) {
	case *tg.InputPeerUser:
		key = peer.UserID
	case *tg.InputPeerChat:
		key = -peer.ChatID
	default:
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	n.mu.Lock()
	all := append([]*tg.Message(nil), n.history.chats[me.ID][key]...)
	other := n.users[key]
	n.mu.Unlock()
	// Newest first, as Telegram answers; offset_id and max_id exclude newer, min_id older.
	sort.Slice(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	if r.AddOffset < 0 && r.OffsetID > 0 {
		// add_offset -limit turns the page towards newer messages: the oldest limit messages
		// from offset_id on.
		all = oldestFrom(all, r.OffsetID, -r.AddOffset)
		r.OffsetID = 0
	}
	var out []tg.MessageClass
	for _, m := range all {
		if (r.OffsetID > 0 && m.ID >= r.OffsetID) || (r.MaxID > 0 && m.ID >= r.MaxID) || m.ID <= r.MinID {
			continue
		}
		out = append(out, m)
		if r.Limit > 0 && len(out) >= r.Limit {
			break
		}
	}
	users := []tg.UserClass{me}
	if other != nil {
		users = append(users, other)
	}
	return s.SendResult(req, &tg.MessagesMessages{Messages: out, Users: users})
}

// oldestFrom is the oldest k messages of newestFirst whose ID is at least from, newest first.
func oldestFrom(newestFirst []*tg.Message, from, k int) []*tg.Message {
	var out []*tg.Message
	for i := len(newestFirst) - 1; i >= 0 && len(out) < k; i-- {
		if newestFirst[i].ID >= from {
			out = append([]*tg.Message{newestFirst[i]}, out...)
		}
	}
	return out
}

func (n *Network) getDialogs(s *tgtest.Server, req *tgtest.Request) error {
	me, ok := n.self(req)
	if !ok {
		return s.SendErr(req, tgerr.New(401, "AUTH_KEY_UNREGISTERED"))
	}
	n.mu.Lock()
	n.countDialogCall(me.ID)
	resp := &tg.MessagesDialogs{}
	for peer, msgs := range n.history.chats[me.ID] {
		if len(msgs) == 0 {
			continue
		}
		top := msgs[len(msgs)-1]
		resp.Messages = append(resp.Messages, top)
		if peer < 0 { // a basic group, kept under minus its ID
			resp.Dialogs = append(resp.Dialogs, &tg.Dialog{Peer: &tg.PeerChat{ChatID: -peer}, TopMessage: top.ID})
			if fc := n.chats[-peer]; fc != nil {
				resp.Chats = append(resp.Chats, fc.chat)
			}
			continue
		}
		resp.Dialogs = append(resp.Dialogs, &tg.Dialog{Peer: &tg.PeerUser{UserID: peer}, TopMessage: top.ID})
		if u := n.users[peer]; u != nil {
			resp.Users = append(resp.Users, u)
		}
	}
	n.channelDialogs(me.ID, resp)
	n.mu.Unlock()
	return s.SendResult(req, resp)
}
