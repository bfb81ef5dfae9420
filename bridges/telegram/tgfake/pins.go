package tgfake

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// DeliverPinned reports messages of a chat of the account `to` as pinned (or unpinned), as
// Telegram does with updatePinnedMessages: peer is the other user of a private chat
// (PeerUser) or a basic group (PeerChat).
func (n *Network) DeliverPinned(ctx context.Context, to *Account, peer tg.PeerClass, pinned bool, ids ...int) error {
	u := &tg.UpdatePinnedMessages{Peer: peer, Messages: ids, PtsCount: len(ids)}
	u.SetPinned(pinned)
	return n.push(ctx, to, nil, u)
}

// DeliverServiceIn makes from perform a service action (pin, call, screenshot, ...) in a chat
// of the account `to`, with replyTo the message it is about (0 for none): peer is the other
// user of a private chat (PeerUser) or a basic group (PeerChat). It returns the message ID.
func (n *Network) DeliverServiceIn(ctx context.Context, to *Account, peer tg.PeerClass, from *tg.User, action tg.MessageActionClass, replyTo int) (int, error) {
	n.mu.Lock()
	n.nextMsg[to.User.ID]++
	id := n.nextMsg[to.User.ID]
	var chats []tg.ChatClass
	if p, ok := peer.(*tg.PeerChat); ok && n.chats[p.ChatID] != nil {
		chats = append(chats, n.chats[p.ChatID].chat)
	}
	n.mu.Unlock()
	msg := &tg.MessageService{ID: id, PeerID: peer, FromID: &tg.PeerUser{UserID: from.ID}, Action: action, Date: int(time.Now().Unix()),
		Out: from.ID == to.User.ID}
	if replyTo != 0 {
		header := &tg.MessageReplyHeader{ReplyToMsgID: replyTo}
		header.SetFlags()
		msg.ReplyTo = header
	}
	msg.SetFlags()
	if err := n.pushEntities(ctx, to, []tg.UserClass{from}, chats, &tg.UpdateNewMessage{Message: msg, PtsCount: 1}); err != nil {
		return 0, fmt.Errorf("deliver service message to %d: %w", to.User.ID, err)
	}
	return id, nil
}

// updatePinnedMessage records a pin or unpin (Sent Kind "pin" or "unpin", ID the message).
func (n *Network) updatePinnedMessage(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesUpdatePinnedMessageRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	sent := Sent{Kind: "pin", From: me.ID, ID: r.ID}
	if r.Unpin {
		sent.Kind = "unpin"
	}
	switch peer := r.Peer.(type) {
	case *tg.InputPeerUser:
		sent.To = peer.UserID
	case *tg.InputPeerChat:
		if _, ok := n.chatOf(me, peer.ChatID); !ok {
			return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
		}
		sent.ToChat = peer.ChatID
	default:
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	n.sent <- sent
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}
