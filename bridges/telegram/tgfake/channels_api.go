package tgfake

import (
	"context"
	"slices"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

func (n *Network) getFullChannel(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsGetFullChannelRequest
	me, fc, ok, err := n.channelCall(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	full := &tg.ChannelFull{ID: fc.ch.ID, About: fc.about, ParticipantsCount: len(fc.members), AdminsCount: len(fc.admins) + 1,
		ChatPhoto: &tg.PhotoEmpty{}, CanViewParticipants: fc.ch.Megagroup, Pts: fc.pts}
	full.NotifySettings.SetFlags()
	full.SetFlags()
	view := fc.view(me.ID)
	n.mu.Unlock()
	return s.SendResult(req, &tg.MessagesChatFull{FullChat: full, Chats: []tg.ChatClass{view}, Users: []tg.UserClass{me}})
}

// getParticipants lists members with their roles; in broadcast channels only admins may.
func (n *Network) getParticipants(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsGetParticipantsRequest
	me, fc, ok, err := n.channelCall(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if fc.ch.Broadcast && me.ID != fc.creator && !fc.admins[me.ID] {
		return s.SendErr(req, tgerr.New(400, "CHAT_ADMIN_REQUIRED"))
	}
	res := &tg.ChannelsChannelParticipants{Count: len(fc.members)}
	for i, id := range fc.members {
		if i < r.Offset || (r.Limit > 0 && len(res.Participants) >= r.Limit) {
			continue
		}
		switch {
		case id == fc.creator:
			res.Participants = append(res.Participants, &tg.ChannelParticipantCreator{UserID: id})
		case fc.admins[id]:
			res.Participants = append(res.Participants, &tg.ChannelParticipantAdmin{UserID: id, PromotedBy: fc.creator, Date: fc.ch.Date})
		default:
			res.Participants = append(res.Participants, &tg.ChannelParticipant{UserID: id, Date: fc.ch.Date})
		}
		if u := n.users[id]; u != nil {
			res.Users = append(res.Users, u)
		}
	}
	return s.SendResult(req, res)
}

// sendToChannel posts a message the bridge sent and tells the other members.
func (n *Network) sendToChannel(s *tgtest.Server, req *tgtest.Request, me *tg.User, peer *tg.InputPeerChannel, r *tg.MessagesSendMessageRequest) error {
	fc, ok := n.channelByID(me, peer.ChannelID, peer.AccessHash)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHANNEL_PRIVATE"))
	}
	replyTo, top := 0, 0
	if rt, ok := r.ReplyTo.(*tg.InputReplyToMessage); ok {
		replyTo = rt.ReplyToMsgID
		top, _ = rt.GetTopMsgID()
	}
	msg := &tg.Message{Message: r.Message, Entities: r.Entities, Date: int(time.Now().Unix())}
	u, err := n.postAs(me, fc, msg, replyTo, top)
	if err != nil {
		return s.SendErr(req, err)
	}
	n.sent <- Sent{Kind: "message", From: me.ID, ToChannel: peer.ChannelID, ID: msg.ID, Text: r.Message, ReplyTo: replyTo, TopMsgID: top, Entities: r.Entities}
	return n.answerChannelPost(s, req, me, fc, u, r.RandomID)
}

// postAs numbers a message the caller posts, if they may, and pushes it to the other members.
// It returns the update as the caller sees it (their message is outgoing).
func (n *Network) postAs(me *tg.User, fc *fakeChannel, msg *tg.Message, replyTo, top int) (*tg.UpdateNewChannelMessage, *tgerr.Error) {
	n.mu.Lock()
	if !fc.canPost(me.ID) {
		n.mu.Unlock()
		return nil, tgerr.New(403, "CHAT_WRITE_FORBIDDEN")
	}
	if !fc.ch.Broadcast {
		msg.FromID = &tg.PeerUser{UserID: me.ID} // broadcast posts are in the channel's name
	}
	switch {
	case fc.ch.Forum && replyTo != 0 && fc.isTopic(replyTo):
		msg.ReplyTo = topicHeader(replyTo, 0)
	case fc.ch.Forum && top != 0:
		msg.ReplyTo = topicHeader(top, replyTo)
	case replyTo != 0:
		header := &tg.MessageReplyHeader{ReplyToMsgID: replyTo}
		header.SetFlags()
		msg.ReplyTo = header
	}
	u := fc.channelMessage(msg)
	n.mu.Unlock()
	_ = n.pushChannel(context.Background(), fc, me.ID, []tg.UserClass{me}, u)
	mine := *msg
	mine.Out = true
	mine.SetFlags()
	return &tg.UpdateNewChannelMessage{Message: &mine, Pts: u.Pts, PtsCount: 1}, nil
}

// answerChannelPost answers a send with the new message's ID and update, as Telegram does.
func (n *Network) answerChannelPost(s *tgtest.Server, req *tgtest.Request, me *tg.User, fc *fakeChannel, u *tg.UpdateNewChannelMessage, randomID int64) error {
	n.mu.Lock()
	view := fc.view(me.ID)
	n.mu.Unlock()
	return s.SendResult(req, &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateMessageID{ID: u.Message.GetID(), RandomID: randomID}, u},
		Users:   []tg.UserClass{me}, Chats: []tg.ChatClass{view}, Date: int(time.Now().Unix()),
	})
}

func (n *Network) deleteChannelMessages(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsDeleteMessagesRequest
	me, fc, ok, err := n.channelCall(s, req, &r)
	if !ok {
		return err
	}
	u := &tg.UpdateDeleteChannelMessages{ChannelID: fc.ch.ID, Messages: r.ID}
	n.mu.Lock()
	fc.logUpdate(u, len(r.ID))
	pts := fc.pts
	n.mu.Unlock()
	n.sent <- Sent{Kind: "delete", From: me.ID, ToChannel: fc.ch.ID, IDs: r.ID}
	return s.SendResult(req, &tg.MessagesAffectedMessages{Pts: pts, PtsCount: len(r.ID)})
}

func (n *Network) readChannelHistory(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsReadHistoryRequest
	me, fc, ok, err := n.channelCall(s, req, &r)
	if !ok {
		return err
	}
	n.sent <- Sent{Kind: "read", From: me.ID, ToChannel: fc.ch.ID, ID: r.MaxID}
	return s.SendBool(req, true)
}

// channelRequest is a request about a channel.
type channelRequest interface {
	bin.Decoder
	GetChannel() tg.InputChannelClass
}

// channelCall decodes a request about a channel and returns the caller and the channel. When
// ok is false the handler returns err: a decode error, or the answer to a caller who is not
// logged in or not in the channel (CHANNEL_PRIVATE).
func (n *Network) channelCall(s *tgtest.Server, req *tgtest.Request, r channelRequest) (me *tg.User, fc *fakeChannel, ok bool, err error) {
	if me, ok, err = n.caller(s, req, r); !ok {
		return nil, nil, false, err
	}
	if fc, ok = n.channelOf(me, r.GetChannel()); !ok {
		return nil, nil, false, s.SendErr(req, tgerr.New(400, "CHANNEL_PRIVATE"))
	}
	return me, fc, true, nil
}

// adminCall is channelCall for what only the channel's admins may do.
func (n *Network) adminCall(s *tgtest.Server, req *tgtest.Request, r channelRequest) (me *tg.User, fc *fakeChannel, ok bool, err error) {
	if me, ok, err = n.caller(s, req, r); !ok {
		return nil, nil, false, err
	}
	fc, rpcErr := n.adminOf(me, r.GetChannel())
	if rpcErr != nil {
		return nil, nil, false, s.SendErr(req, rpcErr)
	}
	return me, fc, true, nil
}

// adminOf returns a channel the caller administers.
func (n *Network) adminOf(me *tg.User, in tg.InputChannelClass) (*fakeChannel, *tgerr.Error) {
	fc, ok := n.channelOf(me, in)
	if !ok {
		return nil, tgerr.New(400, "CHANNEL_PRIVATE")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if me.ID != fc.creator && !fc.admins[me.ID] {
		return nil, tgerr.New(400, "CHAT_ADMIN_REQUIRED")
	}
	return fc, nil
}

func (n *Network) editChannelTitle(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsEditTitleRequest
	me, fc, ok, err := n.adminCall(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	fc.ch.Title = r.Title
	n.mu.Unlock()
	n.sent <- Sent{Kind: "title", From: me.ID, ToChannel: fc.ch.ID, Text: r.Title}
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}

// editChannelAbout is messages.editChatAbout for a channel peer.
func (n *Network) editChannelAbout(s *tgtest.Server, req *tgtest.Request, me *tg.User, peer *tg.InputPeerChannel, about string) error {
	fc, rpcErr := n.adminOf(me, &tg.InputChannel{ChannelID: peer.ChannelID, AccessHash: peer.AccessHash})
	if rpcErr != nil {
		return s.SendErr(req, rpcErr)
	}
	n.mu.Lock()
	fc.about = about
	n.mu.Unlock()
	n.sent <- Sent{Kind: "about", From: me.ID, ToChannel: fc.ch.ID, Text: about}
	return s.SendBool(req, true)
}

func (n *Network) inviteToChannel(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsInviteToChannelRequest
	me, fc, ok, err := n.adminCall(s, req, &r)
	if !ok {
		return err
	}
	for _, in := range r.Users {
		user := inputUserID(in)
		n.mu.Lock()
		if !slices.Contains(fc.members, user) {
			fc.members = append(fc.members, user)
		}
		n.mu.Unlock()
		n.sent <- Sent{Kind: "invite", From: me.ID, ToChannel: fc.ch.ID, To: user}
	}
	return s.SendResult(req, &tg.MessagesInvitedUsers{Updates: &tg.Updates{Date: int(time.Now().Unix())}})
}

// editBanned removes a member when their rights ban viewing messages (a kick).
func (n *Network) editBanned(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsEditBannedRequest
	me, fc, ok, err := n.adminCall(s, req, &r)
	if !ok {
		return err
	}
	peer, ok := r.Participant.(*tg.InputPeerUser)
	if !ok || !r.BannedRights.ViewMessages {
		return s.SendErr(req, tgerr.New(400, "PARTICIPANT_ID_INVALID"))
	}
	n.mu.Lock()
	for i, m := range fc.members {
		if m == peer.UserID {
			fc.members = append(fc.members[:i], fc.members[i+1:]...)
			break
		}
	}
	n.mu.Unlock()
	n.sent <- Sent{Kind: "kick", From: me.ID, ToChannel: fc.ch.ID, To: peer.UserID}
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}

// channelMediaSent posts a media message the bridge sent to a channel (as its caption).
func (n *Network) channelMediaSent(s *tgtest.Server, req *tgtest.Request, sent Sent, randomID int64) error {
	n.mu.Lock()
	me, fc := n.users[sent.From], n.channels[sent.ToChannel]
	n.mu.Unlock()
	msg := &tg.Message{Message: sent.Text, Entities: sent.Entities, Date: int(time.Now().Unix())}
	u, rpcErr := n.postAs(me, fc, msg, sent.ReplyTo, 0)
	if rpcErr != nil {
		return s.SendErr(req, rpcErr)
	}
	sent.ID = msg.ID
	n.sent <- sent
	return n.answerChannelPost(s, req, me, fc, u, randomID)
}
