package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// Supergroups and broadcast channels number their messages per channel, so their portals are
// shared by every login in them (ids.ChannelPortal) and their message IDs carry the channel.
// Their updates come with a per-channel pts that gotd's updates manager tracks; the bridge
// stores it with the login (UpdateState.ChannelPts) next to the channel's access hash.

// handleChannelUpdate resyncs a channel's portal: something about it changed (its title, our
// rights), or we were removed.
func (tc *Client) handleChannelUpdate(ctx context.Context, e tg.Entities, u *tg.UpdateChannel) {
	tc.rememberEntities(e)
	tc.queue(ctx, &simplevent.ChatResync{
		EventMeta: simplevent.EventMeta{Type: bridgev2.RemoteEventChatResync, PortalKey: ids.ChannelPortal(u.ChannelID)},
		GetChatInfoFunc: func(ctx context.Context, _ *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
			return tc.channelInfo(ctx, u.ChannelID)
		},
	})
}

// handleChannelDeletes bridges deleted messages of a supergroup or channel.
func (tc *Client) handleChannelDeletes(ctx context.Context, u *tg.UpdateDeleteChannelMessages) {
	for _, n := range u.Messages {
		tc.queue(ctx, &simplevent.MessageRemove{
			EventMeta:     simplevent.EventMeta{Type: bridgev2.RemoteEventMessageRemove, PortalKey: ids.ChannelPortal(u.ChannelID), Timestamp: time.Now()},
			TargetMessage: ids.ChannelMessageID(u.ChannelID, n),
		})
	}
}

// rememberEntities caches the users and channels an update names.
func (tc *Client) rememberEntities(e tg.Entities) {
	for _, u := range e.Users {
		tc.remember(u)
	}
	for _, c := range e.Channels {
		tc.rememberChannel(c)
	}
	tc.rememberChatTitles(e)
}

// rememberChats caches the channels in a list of chats.
func (tc *Client) rememberChats(chats []tg.ChatClass) {
	for _, c := range chats {
		if ch, ok := c.(*tg.Channel); ok {
			tc.rememberChannel(ch)
		}
	}
}

// rememberChannel caches a channel's title, flags, our rights in it and its access hash. A
// "min" channel lacks the access hash and our rights: keep what we knew of those.
func (tc *Client) rememberChannel(c *tg.Channel) {
	if c == nil || c.ID == 0 {
		return
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if old, ok := tc.channels[c.ID]; ok && c.Min {
		merged := *old
		merged.Title, merged.Username, merged.Photo = c.Title, c.Username, c.Photo
		c = &merged
	}
	tc.channels[c.ID] = c
}

func (tc *Client) channel(id int64) (*tg.Channel, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	c, ok := tc.channels[id]
	return c, ok
}

// channelAccessHash is what requests about a channel must carry: from the cache, else from
// the hashes stored with the login's update state (they survive restarts).
func (tc *Client) channelAccessHash(id int64) int64 {
	if c, ok := tc.channel(id); ok && c.AccessHash != 0 {
		return c.AccessHash
	}
	state := &dbUpdateState{metaLock: tc.metaMu}
	hash, _, _ := state.GetChannelAccessHash(context.Background(), 0, id)
	return hash
}

func (tc *Client) inputChannel(id int64) *tg.InputChannel {
	return &tg.InputChannel{ChannelID: id, AccessHash: tc.channelAccessHash(id)}
}

// canPost says whether the account may write in a channel: in broadcast channels only the
// creator and admins who may post; in supergroups everyone unless banned from writing.
func canPost(c *tg.Channel) bool {
	if c.Creator {
		return true
	}
	admin, isAdmin := c.GetAdminRights()
	if c.Broadcast {
		return isAdmin && admin.PostMessages
	}
	if isAdmin {
		return true
	}
	if banned, ok := c.GetBannedRights(); ok && banned.SendMessages {
		return false
	}
	if banned, ok := c.GetDefaultBannedRights(); ok && banned.SendMessages {
		return false
	}
	return !c.Left
}

// joinShared makes sure this login's Matrix user is in the shared room of a channel it sees a
// message in. bridgev2 adds a user to a room only when their own login syncs its info, and the
// room may have been made by another login; so the first time each connection sees a channel
// whose room does not list this login yet, it queues a resync with the channel's info.
func (tc *Client) joinShared(ctx context.Context, channelID int64) {
	tc.mu.Lock()
	seen := tc.seenChannels[channelID]
	tc.seenChannels[channelID] = true
	tc.mu.Unlock()
	if seen {
		return
	}
	key := ids.ChannelPortal(channelID)
	if up, err := tc.conn.Bridge.DB.UserPortal.Get(ctx, tc.login.UserLogin, key); err != nil || up != nil {
		return
	}
	tc.queue(ctx, &simplevent.ChatResync{
		EventMeta: simplevent.EventMeta{Type: bridgev2.RemoteEventChatResync, PortalKey: key},
		GetChatInfoFunc: func(ctx context.Context, portal *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
			return tc.channelInfo(ctx, channelID)
		},
	})
}
