package wafake

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
)

// Group returns a copy of a group's current state, as tests see it.
func (n *Network) Group(jid types.JID) (types.GroupInfo, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	info, ok := n.groups[jid]
	if !ok {
		return types.GroupInfo{}, false
	}
	copied := *info
	copied.Participants = append([]types.GroupParticipant(nil), info.Participants...)
	return copied, true
}

// group runs f on a known group under the network's lock.
func (n *Network) group(jid types.JID, f func(*types.GroupInfo) error) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	info, ok := n.groups[jid]
	if !ok {
		return whatsmeow.ErrGroupNotFound
	}
	return f(info)
}

// CreateGroup makes a group with the creator as super admin and the given participants.
func (c *Client) CreateGroup(_ context.Context, req whatsmeow.ReqCreateGroup) (*types.GroupInfo, error) {
	own, ok := c.paired()
	if !ok {
		return nil, whatsmeow.ErrNotLoggedIn
	}
	c.net.mu.Lock()
	jid := types.NewJID(fmt.Sprintf("120363%012d", len(c.net.groups)+1), types.GroupServer)
	c.net.mu.Unlock()
	info := &types.GroupInfo{JID: jid, OwnerJID: own, GroupCreated: time.Now()}
	info.Name = req.Name
	info.Participants = []types.GroupParticipant{{JID: own, IsAdmin: true, IsSuperAdmin: true}}
	for _, p := range req.Participants {
		info.Participants = append(info.Participants, types.GroupParticipant{JID: p})
	}
	c.net.AddGroup(info)
	copied, _ := c.net.Group(jid)
	return &copied, nil
}

func (c *Client) SetGroupName(_ context.Context, jid types.JID, name string) error {
	return c.net.group(jid, func(g *types.GroupInfo) error {
		g.Name = name
		return nil
	})
}

func (c *Client) SetGroupTopic(_ context.Context, jid types.JID, _, newID, topic string) error {
	return c.net.group(jid, func(g *types.GroupInfo) error {
		g.Topic, g.TopicID = topic, newID
		return nil
	})
}

// UpdateGroupParticipants adds, removes, promotes or demotes members like WhatsApp's server.
func (c *Client) UpdateGroupParticipants(_ context.Context, jid types.JID, changes []types.JID, action whatsmeow.ParticipantChange) ([]types.GroupParticipant, error) {
	var out []types.GroupParticipant
	err := c.net.group(jid, func(g *types.GroupInfo) error {
		for _, target := range changes {
			idx := -1
			for i, p := range g.Participants {
				if p.JID.ToNonAD() == target.ToNonAD() {
					idx = i
				}
			}
			switch action {
			case whatsmeow.ParticipantChangeAdd:
				if idx < 0 {
					g.Participants = append(g.Participants, types.GroupParticipant{JID: target})
				}
			case whatsmeow.ParticipantChangeRemove:
				if idx >= 0 {
					g.Participants = append(g.Participants[:idx], g.Participants[idx+1:]...)
				}
			case whatsmeow.ParticipantChangePromote, whatsmeow.ParticipantChangeDemote:
				if idx < 0 {
					return fmt.Errorf("%s is not in %s", target, jid)
				}
				g.Participants[idx].IsAdmin = action == whatsmeow.ParticipantChangePromote
			}
			out = append(out, types.GroupParticipant{JID: target})
		}
		return nil
	})
	return out, err
}

// SetDisappearingTimer records a chat's disappearing-message timer (groups keep it in their info).
func (c *Client) SetDisappearingTimer(_ context.Context, chat types.JID, timer time.Duration, _ time.Time) error {
	c.net.mu.Lock()
	c.net.timers[chat.ToNonAD()] = timer
	if g, ok := c.net.groups[chat]; ok {
		g.IsEphemeral, g.DisappearingTimer = timer > 0, uint32(timer/time.Second)
	}
	c.net.mu.Unlock()
	return nil
}

// DisappearingTimer is the timer last set for a chat.
func (n *Network) DisappearingTimer(chat types.JID) time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.timers[chat.ToNonAD()]
}

// GroupsOf lists the groups a user is a member of.
func (n *Network) GroupsOf(user types.JID) []types.GroupInfo {
	n.mu.Lock()
	var jids []types.JID
	for jid, g := range n.groups {
		for _, p := range g.Participants {
			if p.JID.ToNonAD() == user.ToNonAD() {
				jids = append(jids, jid)
				break
			}
		}
	}
	n.mu.Unlock()
	out := make([]types.GroupInfo, 0, len(jids))
	for _, jid := range jids {
		if g, ok := n.Group(jid); ok {
			out = append(out, g)
		}
	}
	return out
}
