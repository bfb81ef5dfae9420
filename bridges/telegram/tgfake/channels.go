package tgfake

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// fakeChannel is a supergroup or broadcast channel. Unlike private chats and basic groups, its
// messages and its pts are numbered per channel, and every member sees the same numbers.
type fakeChannel struct {
	ch       *tg.Channel // shared fields; view adds what differs per member
	about    string
	creator  int64
	admins   map[int64]bool
	members  []int64
	readOnly bool // supergroup: members other than admins may not write
	nextMsg  int
	pts      int
	log      []loggedUpdate    // pts-numbered updates, for updates.getChannelDifference
	msgs     []tg.MessageClass // history, oldest first: messages and service messages
}

func (n *Network) registerChannels(d *tgtest.Dispatcher) {
	d.HandleFunc(tg.UpdatesGetChannelDifferenceRequestTypeID, n.getChannelDifference)
	d.HandleFunc(tg.ChannelsGetFullChannelRequestTypeID, n.getFullChannel)
	d.HandleFunc(tg.ChannelsGetParticipantsRequestTypeID, n.getParticipants)
	d.HandleFunc(tg.ChannelsDeleteMessagesRequestTypeID, n.deleteChannelMessages)
	d.HandleFunc(tg.ChannelsReadHistoryRequestTypeID, n.readChannelHistory)
	d.HandleFunc(tg.ChannelsEditTitleRequestTypeID, n.editChannelTitle)
	d.HandleFunc(tg.ChannelsInviteToChannelRequestTypeID, n.inviteToChannel)
	d.HandleFunc(tg.ChannelsEditBannedRequestTypeID, n.editBanned)
	d.HandleFunc(tg.ChannelsJoinChannelRequestTypeID, n.joinChannel)
}

// AddSupergroup creates a supergroup: creator owns it, the others are members.
func (n *Network) AddSupergroup(title, about string, creator *tg.User, members ...*tg.User) *tg.Channel {
	return n.addChannel(title, about, false, creator, members)
}

// AddBroadcast creates a broadcast channel: creator owns it and may post, subscribers read.
func (n *Network) AddBroadcast(title, about string, creator *tg.User, subscribers ...*tg.User) *tg.Channel {
	return n.addChannel(title, about, true, creator, subscribers)
}

func (n *Network) addChannel(title, about string, broadcast bool, creator *tg.User, members []*tg.User) *tg.Channel {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nextChat++
	ch := &tg.Channel{ID: 700000 + n.nextChat, Title: title, Photo: &tg.ChatPhotoEmpty{}, Date: int(time.Now().Unix()),
		Broadcast: broadcast, Megagroup: !broadcast, ParticipantsCount: len(members) + 1}
	ch.AccessHash = ch.ID * 104729
	ch.SetFlags()
	fc := &fakeChannel{ch: ch, about: about, creator: creator.ID, admins: map[int64]bool{}, members: []int64{creator.ID}}
	for _, m := range members {
		fc.members = append(fc.members, m.ID)
	}
	if n.channels == nil {
		n.channels = map[int64]*fakeChannel{}
	}
	n.channels[ch.ID] = fc
	return ch
}

// MakeChannelAdmin makes a member an admin of a supergroup or channel (who may post in it).
func (n *Network) MakeChannelAdmin(ch *tg.Channel, user *tg.User) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.channels[ch.ID].admins[user.ID] = true
}

// SetReadOnly makes a supergroup's members other than admins unable to write.
func (n *Network) SetReadOnly(ch *tg.Channel) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.channels[ch.ID].readOnly = true
}

// view is the channel as member userID sees it: their own role and rights. Callers hold n.mu.
func (fc *fakeChannel) view(userID int64) *tg.Channel {
	v := *fc.ch
	v.Creator = userID == fc.creator
	if v.Creator || fc.admins[userID] {
		rights := tg.ChatAdminRights{ChangeInfo: true, PostMessages: v.Broadcast, EditMessages: v.Broadcast,
			DeleteMessages: true, BanUsers: !v.Broadcast, InviteUsers: true, PinMessages: true}
		rights.SetFlags()
		v.SetAdminRights(rights)
	}
	if fc.readOnly {
		banned := tg.ChatBannedRights{SendMessages: true, SendMedia: true}
		banned.SetFlags()
		v.SetDefaultBannedRights(banned)
	}
	v.ParticipantsCount = len(fc.members)
	v.SetFlags()
	return &v
}

// canPost says whether a member may write: channel admins in broadcasts, everyone in
// supergroups unless it is read-only. Callers hold n.mu.
func (fc *fakeChannel) canPost(userID int64) bool {
	admin := userID == fc.creator || fc.admins[userID]
	if fc.ch.Broadcast || fc.readOnly {
		return admin
	}
	return slices.Contains(fc.members, userID)
}

// channelOf returns a channel the caller is a member of.
func (n *Network) channelOf(me *tg.User, in tg.InputChannelClass) (*fakeChannel, bool) {
	c, ok := in.(*tg.InputChannel)
	if !ok {
		return nil, false
	}
	return n.channelByID(me, c.ChannelID, c.AccessHash)
}

// channelByID returns a channel the caller is a member of, checking the access hash.
func (n *Network) channelByID(me *tg.User, id, accessHash int64) (*fakeChannel, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fc, ok := n.channels[id]
	return fc, ok && fc.ch.AccessHash == accessHash && slices.Contains(fc.members, me.ID)
}

// channelMessage numbers a new message of the channel, keeps it, and logs the update that
// announces it. Callers hold n.mu.
func (fc *fakeChannel) channelMessage(msg *tg.Message) *tg.UpdateNewChannelMessage {
	fc.nextMsg++
	msg.ID = fc.nextMsg
	msg.PeerID = &tg.PeerChannel{ChannelID: fc.ch.ID}
	msg.SetFlags()
	return fc.logMessage(msg)
}

// logMessage keeps a numbered message and logs the update that announces it. Callers hold n.mu.
func (fc *fakeChannel) logMessage(msg tg.MessageClass) *tg.UpdateNewChannelMessage {
	fc.msgs = append(fc.msgs, msg)
	fc.pts++
	u := &tg.UpdateNewChannelMessage{Message: msg, Pts: fc.pts, PtsCount: 1}
	fc.log = append(fc.log, loggedUpdate{pts: fc.pts, update: u})
	return u
}

// logUpdate numbers an edit or delete of the channel. Callers hold n.mu.
func (fc *fakeChannel) logUpdate(u tg.UpdateClass, count int) {
	fc.pts += count
	switch u := u.(type) {
	case *tg.UpdateEditChannelMessage:
		u.Pts, u.PtsCount = fc.pts, count
	case *tg.UpdateDeleteChannelMessages:
		u.Pts, u.PtsCount = fc.pts, count
	}
	fc.log = append(fc.log, loggedUpdate{pts: fc.pts, update: u})
}

// pushChannel sends a channel update to every connected member except skip.
func (n *Network) pushChannel(ctx context.Context, fc *fakeChannel, skip int64, users []tg.UserClass, u tg.UpdateClass) error {
	n.mu.Lock()
	type target struct {
		id   int64
		view *tg.Channel
	}
	var targets []target
	for _, m := range fc.members {
		if _, ok := n.sessions[m]; ok && m != skip {
			targets = append(targets, target{m, fc.view(m)})
		}
	}
	n.mu.Unlock()
	for _, t := range targets {
		upd := &tg.Updates{Updates: []tg.UpdateClass{u}, Users: users, Chats: []tg.ChatClass{t.view}, Date: int(time.Now().Unix())}
		if err := n.sendUpdates(ctx, t.id, upd); err != nil {
			return err
		}
	}
	return nil
}

// DeliverToChannel makes from write text in a supergroup; from nil posts in the channel's own
// name, as broadcast channels do. It returns the message ID.
func (n *Network) DeliverToChannel(ctx context.Context, ch *tg.Channel, from *tg.User, text string) (int, error) {
	msg := &tg.Message{Message: text, Date: int(time.Now().Unix())}
	var users []tg.UserClass
	if from != nil {
		msg.FromID = &tg.PeerUser{UserID: from.ID}
		users = append(users, from)
	}
	n.mu.Lock()
	fc := n.channels[ch.ID]
	u := fc.channelMessage(msg)
	n.mu.Unlock()
	if err := n.pushChannel(ctx, fc, 0, users, u); err != nil {
		return 0, fmt.Errorf("deliver to channel %d: %w", ch.ID, err)
	}
	return msg.ID, nil
}

// AddChannelHistory stores a message in the channel without telling anyone, as if it came
// while the bridge was away. It returns the message ID.
func (n *Network) AddChannelHistory(ch *tg.Channel, from *tg.User, text string) int {
	msg := &tg.Message{Message: text, Date: int(time.Now().Unix()), FromID: &tg.PeerUser{UserID: from.ID}}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.channels[ch.ID].channelMessage(msg)
	return msg.ID
}

// DeliverChannelEdit makes from change the text of message id of the channel.
func (n *Network) DeliverChannelEdit(ctx context.Context, ch *tg.Channel, from *tg.User, id int, text string) error {
	now := int(time.Now().Unix())
	msg := &tg.Message{ID: id, PeerID: &tg.PeerChannel{ChannelID: ch.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text, Date: now, EditDate: now}
	msg.SetFlags()
	u := &tg.UpdateEditChannelMessage{Message: msg}
	n.mu.Lock()
	fc := n.channels[ch.ID]
	fc.logUpdate(u, 1)
	n.mu.Unlock()
	return n.pushChannel(ctx, fc, 0, []tg.UserClass{from}, u)
}

// DeliverChannelDelete deletes messages of the channel for everyone.
func (n *Network) DeliverChannelDelete(ctx context.Context, ch *tg.Channel, ids ...int) error {
	u := &tg.UpdateDeleteChannelMessages{ChannelID: ch.ID, Messages: ids}
	n.mu.Lock()
	fc := n.channels[ch.ID]
	fc.logUpdate(u, len(ids))
	n.mu.Unlock()
	return n.pushChannel(ctx, fc, 0, nil, u)
}

// forViewer marks the viewer's own messages as outgoing, as Telegram does per account.
func forViewer(msgs []tg.MessageClass, viewer int64) []tg.MessageClass {
	out := make([]tg.MessageClass, 0, len(msgs))
	for _, m := range msgs {
		if msg, ok := m.(*tg.Message); ok {
			if from, ok := msg.FromID.(*tg.PeerUser); ok && from.UserID == viewer && !msg.Out {
				c := *msg
				c.Out = true
				c.SetFlags()
				m = &c
			}
		}
		out = append(out, m)
	}
	return out
}

func (n *Network) getChannelDifference(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.UpdatesGetChannelDifferenceRequest
	me, fc, ok, err := n.channelCall(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	var msgs []tg.MessageClass
	var other []tg.UpdateClass
	for _, l := range fc.log {
		if l.pts <= r.Pts {
			continue
		}
		if nm, ok := l.update.(*tg.UpdateNewChannelMessage); ok {
			msgs = append(msgs, nm.Message)
		} else {
			other = append(other, l.update)
		}
	}
	pts, view, users := fc.pts, fc.view(me.ID), n.usersOf(fc.members)
	n.mu.Unlock()
	if len(msgs) == 0 && len(other) == 0 {
		return s.SendResult(req, &tg.UpdatesChannelDifferenceEmpty{Final: true, Pts: pts})
	}
	return s.SendResult(req, &tg.UpdatesChannelDifference{Final: true, Pts: pts, NewMessages: forViewer(msgs, me.ID),
		OtherUpdates: other, Chats: []tg.ChatClass{view}, Users: users})
}

// usersOf returns the users with these IDs. Callers hold n.mu.
func (n *Network) usersOf(userIDs []int64) []tg.UserClass {
	out := make([]tg.UserClass, 0, len(userIDs))
	for _, id := range userIDs {
		if u := n.users[id]; u != nil {
			out = append(out, u)
		}
	}
	return out
}

// channelHistory answers messages.getHistory for a channel, newest first.
func (n *Network) channelHistory(s *tgtest.Server, req *tgtest.Request, me *tg.User, peer *tg.InputPeerChannel, r *tg.MessagesGetHistoryRequest) error {
	fc, ok := n.channelByID(me, peer.ChannelID, peer.AccessHash)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHANNEL_PRIVATE"))
	}
	n.mu.Lock()
	all := append([]tg.MessageClass(nil), fc.msgs...)
	view, users, pts := fc.view(me.ID), n.usersOf(fc.members), fc.pts
	n.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].GetID() > all[j].GetID() })
	var out []tg.MessageClass
	for _, m := range all {
		if id := m.GetID(); (r.OffsetID > 0 && id >= r.OffsetID) || (r.MaxID > 0 && id >= r.MaxID) || id <= r.MinID {
			continue
		}
		out = append(out, m)
		if r.Limit > 0 && len(out) >= r.Limit {
			break
		}
	}
	return s.SendResult(req, &tg.MessagesChannelMessages{Pts: pts, Count: len(all), Messages: forViewer(out, me.ID),
		Chats: []tg.ChatClass{view}, Users: users})
}

// channelDialogs adds the channels userID is in to a dialog list. Callers hold n.mu.
func (n *Network) channelDialogs(userID int64, resp *tg.MessagesDialogs) {
	for _, fc := range n.channels {
		if !slices.Contains(fc.members, userID) || len(fc.msgs) == 0 {
			continue
		}
		top := fc.msgs[len(fc.msgs)-1]
		d := &tg.Dialog{Peer: &tg.PeerChannel{ChannelID: fc.ch.ID}, TopMessage: top.GetID()}
		d.SetPts(fc.pts)
		resp.Dialogs = append(resp.Dialogs, d)
		resp.Messages = append(resp.Messages, top)
		resp.Chats = append(resp.Chats, fc.view(userID))
	}
}

// editChannelMessage changes a message the caller posted and tells the other members.
func (n *Network) editChannelMessage(s *tgtest.Server, req *tgtest.Request, me *tg.User, peer *tg.InputPeerChannel, r *tg.MessagesEditMessageRequest) error {
	fc, ok := n.channelByID(me, peer.ChannelID, peer.AccessHash)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "CHANNEL_PRIVATE"))
	}
	n.mu.Lock()
	var msg *tg.Message
	for _, m := range fc.msgs {
		if m, ok := m.(*tg.Message); ok && m.ID == r.ID {
			msg = m
		}
	}
	if msg == nil {
		n.mu.Unlock()
		return s.SendErr(req, tgerr.New(400, "MESSAGE_ID_INVALID"))
	}
	msg.Message, msg.Entities, msg.EditDate = r.Message, r.Entities, int(time.Now().Unix())
	msg.SetFlags()
	edited := *msg
	u := &tg.UpdateEditChannelMessage{Message: &edited}
	fc.logUpdate(u, 1)
	n.mu.Unlock()
	n.sent <- Sent{Kind: "edit", From: me.ID, ToChannel: peer.ChannelID, ID: r.ID, Text: r.Message}
	_ = n.pushChannel(context.Background(), fc, me.ID, []tg.UserClass{me}, u)
	return s.SendResult(req, &tg.Updates{Date: int(time.Now().Unix())})
}

// RemoveFromChannel takes a member out of a supergroup or channel (a kick, or leaving from
// another app) and tells them, as Telegram does, with an updateChannel.
func (n *Network) RemoveFromChannel(ctx context.Context, ch *tg.Channel, user *tg.User) error {
	n.mu.Lock()
	fc := n.channels[ch.ID]
	for i, m := range fc.members {
		if m == user.ID {
			fc.members = append(fc.members[:i], fc.members[i+1:]...)
			break
		}
	}
	view := fc.view(user.ID)
	view.Left = true
	view.SetFlags()
	n.mu.Unlock()
	return n.sendUpdates(ctx, user.ID, &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdateChannel{ChannelID: ch.ID}},
		Chats: []tg.ChatClass{view}, Date: int(time.Now().Unix())})
}
