package tgfake

import (
	"slices"
	"strings"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// MakePublic gives a supergroup or channel a public @username anyone can find and join.
func (n *Network) MakePublic(ch *tg.Channel, username string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fc := n.channels[ch.ID]
	fc.ch.Username = username
	fc.ch.SetFlags()
}

// publicChannel is the public channel with this username, as a non-member sees it.
func (n *Network) publicChannel(username string) *tg.Channel {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, fc := range n.channels {
		if fc.ch.Username != "" && strings.EqualFold(fc.ch.Username, username) {
			v := fc.view(0)
			v.Left = true
			v.SetFlags()
			return v
		}
	}
	return nil
}

// joinChannel adds the caller to a public channel.
func (n *Network) joinChannel(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.ChannelsJoinChannelRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	in, _ := r.Channel.(*tg.InputChannel)
	n.mu.Lock()
	var fc *fakeChannel
	if in != nil {
		fc = n.channels[in.ChannelID]
	}
	if fc == nil || fc.ch.AccessHash != in.AccessHash || fc.ch.Username == "" {
		n.mu.Unlock()
		return s.SendErr(req, tgerr.New(400, "CHANNEL_PRIVATE"))
	}
	if !slices.Contains(fc.members, me.ID) {
		fc.members = append(fc.members, me.ID)
	}
	view := fc.view(me.ID)
	n.mu.Unlock()
	n.sent <- Sent{Kind: "join", From: me.ID, ToChannel: fc.ch.ID}
	return s.SendResult(req, &tg.MessagesChatInviteJoinResultOk{Updates: &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateChannel{ChannelID: fc.ch.ID}}, Chats: []tg.ChatClass{view}, Date: int(time.Now().Unix()),
	}})
}
