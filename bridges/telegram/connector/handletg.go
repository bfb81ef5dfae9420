package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// registerHandlers is the one table of the Telegram updates the bridge handles: every update
// type gotd dispatches to the bridge, and the handler that bridges it, in the file of its
// concern. Updates of one chat go on the chat's lane (in.message, in.peer: handletg_lanes.go);
// the others run inline. The context a handler gets carries the login's logger (runLoop puts
// it there).
func (tc *Client) registerHandlers(d tg.UpdateDispatcher, in *inbound) {
	// Messages, edits and deletes (messages.go), in private chats and basic groups ...
	d.OnNewMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewMessage) error {
		tc.rememberEntities(e)
		in.message(ctx, u, u.Message, func(ctx context.Context) { tc.onNewMessage(ctx, e, u.Message) })
		return nil
	})
	d.OnEditMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateEditMessage) error {
		tc.rememberEntities(e)
		in.message(ctx, u, u.Message, func(ctx context.Context) { tc.onEditMessage(ctx, e, u.Message) })
		return nil
	})
	d.OnDeleteMessages(func(ctx context.Context, _ tg.Entities, u *tg.UpdateDeleteMessages) error {
		// Named by number only: the bridge looks up their chats once the lanes bridged them.
		in.barrier(ctx, func(ctx context.Context) { tc.handleDeletes(ctx, u.Messages) })
		return nil
	})
	// ... and in supergroups and channels (channels.go).
	d.OnNewChannelMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewChannelMessage) error {
		tc.rememberEntities(e)
		in.message(ctx, u, u.Message, func(ctx context.Context) { tc.onNewMessage(ctx, e, u.Message) })
		return nil
	})
	d.OnEditChannelMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateEditChannelMessage) error {
		tc.rememberEntities(e)
		in.message(ctx, u, u.Message, func(ctx context.Context) { tc.onEditMessage(ctx, e, u.Message) })
		return nil
	})
	d.OnDeleteChannelMessages(func(ctx context.Context, _ tg.Entities, u *tg.UpdateDeleteChannelMessages) error {
		in.chat(ids.ChannelPortal(u.ChannelID), u, func(ctx context.Context) { tc.handleChannelDeletes(ctx, u) })
		return nil
	})
	d.OnChannel(func(ctx context.Context, e tg.Entities, u *tg.UpdateChannel) error {
		tc.rememberEntities(e)
		in.chat(ids.ChannelPortal(u.ChannelID), u, func(ctx context.Context) { tc.handleChannelUpdate(ctx, e, u) })
		return nil
	})

	// Reactions (reactions.go).
	d.OnMessageReactions(func(ctx context.Context, e tg.Entities, u *tg.UpdateMessageReactions) error {
		tc.rememberEntities(e)
		in.peer(ctx, u.Peer, u, func(ctx context.Context) { tc.handleReactions(ctx, u) })
		return nil
	})

	// Polls: results, votes and ends (polls_sync.go). Older layers name the poll only: then
	// the bridge looks its message up once the lanes bridged it.
	d.OnMessagePoll(func(ctx context.Context, _ tg.Entities, u *tg.UpdateMessagePoll) error {
		peer, _ := u.GetPeer()
		in.peer(ctx, peer, u, func(ctx context.Context) { tc.handlePollUpdate(ctx, u) })
		return nil
	})

	// Pins that come without a service message (pins.go).
	d.OnPinnedMessages(func(ctx context.Context, _ tg.Entities, u *tg.UpdatePinnedMessages) error {
		in.peer(ctx, u.Peer, u, func(ctx context.Context) { tc.handlePinnedMessages(ctx, u) })
		return nil
	})
	d.OnPinnedChannelMessages(func(ctx context.Context, _ tg.Entities, u *tg.UpdatePinnedChannelMessages) error {
		portal := ids.ChannelPortal(u.ChannelID)
		in.chat(portal, u, func(ctx context.Context) {
			tc.queuePins(ctx, portal, bridgev2.EventSender{}, u.Pinned, u.Messages, time.Now())
		})
		return nil
	})

	// Ghosts: renames and other profile changes (ghosts.go), of no one chat: inline.
	d.OnUserName(func(_ context.Context, _ tg.Entities, u *tg.UpdateUserName) error {
		tc.handleUserName(u)
		return nil
	})
	d.OnUser(func(_ context.Context, _ tg.Entities, u *tg.UpdateUser) error {
		go tc.refreshGhost(u.UserID, true)
		return nil
	})

	// Presence, typing and read receipts (presence.go).
	d.OnReadHistoryOutbox(func(ctx context.Context, _ tg.Entities, u *tg.UpdateReadHistoryOutbox) error {
		in.peer(ctx, u.Peer, u, func(ctx context.Context) { tc.handleReadOutbox(ctx, u) })
		return nil
	})
	d.OnUserTyping(func(ctx context.Context, _ tg.Entities, u *tg.UpdateUserTyping) error {
		chat := &tg.PeerUser{UserID: u.UserID}
		in.peer(ctx, chat, u, func(ctx context.Context) { tc.queueTyping(ctx, chat, chat, u.Action) })
		return nil
	})
	d.OnChatUserTyping(func(ctx context.Context, _ tg.Entities, u *tg.UpdateChatUserTyping) error {
		chat := &tg.PeerChat{ChatID: u.ChatID}
		in.peer(ctx, chat, u, func(ctx context.Context) { tc.queueTyping(ctx, chat, u.FromID, u.Action) })
		return nil
	})
	d.OnChannelUserTyping(func(ctx context.Context, _ tg.Entities, u *tg.UpdateChannelUserTyping) error {
		chat := &tg.PeerChannel{ChannelID: u.ChannelID}
		in.peer(ctx, chat, u, func(ctx context.Context) { tc.queueTyping(ctx, chat, u.FromID, u.Action) })
		return nil
	})
	d.OnUserStatus(func(ctx context.Context, _ tg.Entities, u *tg.UpdateUserStatus) error {
		tc.handleUserStatus(ctx, u)
		return nil
	})
}
