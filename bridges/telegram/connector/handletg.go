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
// concern. The context a handler gets carries the login's logger (runLoop puts it there).
func (tc *Client) registerHandlers(d tg.UpdateDispatcher) {
	// Messages, edits and deletes (messages.go), in private chats and basic groups ...
	d.OnNewMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewMessage) error {
		tc.onNewMessage(ctx, e, u.Message)
		return nil
	})
	d.OnEditMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateEditMessage) error {
		tc.onEditMessage(ctx, e, u.Message)
		return nil
	})
	d.OnDeleteMessages(func(ctx context.Context, _ tg.Entities, u *tg.UpdateDeleteMessages) error {
		tc.handleDeletes(ctx, u.Messages)
		return nil
	})
	// ... and in supergroups and channels (channels.go).
	d.OnNewChannelMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateNewChannelMessage) error {
		tc.onNewMessage(ctx, e, u.Message)
		return nil
	})
	d.OnEditChannelMessage(func(ctx context.Context, e tg.Entities, u *tg.UpdateEditChannelMessage) error {
		tc.onEditMessage(ctx, e, u.Message)
		return nil
	})
	d.OnDeleteChannelMessages(func(_ context.Context, _ tg.Entities, u *tg.UpdateDeleteChannelMessages) error {
		tc.handleChannelDeletes(u)
		return nil
	})
	d.OnChannel(func(_ context.Context, e tg.Entities, u *tg.UpdateChannel) error {
		tc.handleChannelUpdate(e, u)
		return nil
	})

	// Reactions (reactions.go).
	d.OnMessageReactions(func(ctx context.Context, e tg.Entities, u *tg.UpdateMessageReactions) error {
		tc.rememberEntities(e)
		tc.handleReactions(ctx, u)
		return nil
	})

	// Polls: results, votes and ends (polls_sync.go).
	d.OnMessagePoll(func(ctx context.Context, _ tg.Entities, u *tg.UpdateMessagePoll) error {
		tc.handlePollUpdate(ctx, u)
		return nil
	})

	// Pins that come without a service message (pins.go).
	d.OnPinnedMessages(func(_ context.Context, _ tg.Entities, u *tg.UpdatePinnedMessages) error {
		tc.handlePinnedMessages(u)
		return nil
	})
	d.OnPinnedChannelMessages(func(_ context.Context, _ tg.Entities, u *tg.UpdatePinnedChannelMessages) error {
		tc.queuePins(ids.ChannelPortal(u.ChannelID), bridgev2.EventSender{}, u.Pinned, u.Messages, time.Now())
		return nil
	})

	// Ghosts: renames and other profile changes (ghosts.go).
	d.OnUserName(func(_ context.Context, _ tg.Entities, u *tg.UpdateUserName) error {
		tc.handleUserName(u)
		return nil
	})
	d.OnUser(func(_ context.Context, _ tg.Entities, u *tg.UpdateUser) error {
		go tc.refreshGhost(u.UserID, true)
		return nil
	})

	// Presence, typing and read receipts (presence.go).
	d.OnReadHistoryOutbox(func(_ context.Context, _ tg.Entities, u *tg.UpdateReadHistoryOutbox) error {
		tc.handleReadOutbox(u)
		return nil
	})
	d.OnUserTyping(func(_ context.Context, _ tg.Entities, u *tg.UpdateUserTyping) error {
		tc.queueTyping(&tg.PeerUser{UserID: u.UserID}, &tg.PeerUser{UserID: u.UserID}, u.Action)
		return nil
	})
	d.OnChatUserTyping(func(_ context.Context, _ tg.Entities, u *tg.UpdateChatUserTyping) error {
		tc.queueTyping(&tg.PeerChat{ChatID: u.ChatID}, u.FromID, u.Action)
		return nil
	})
	d.OnChannelUserTyping(func(_ context.Context, _ tg.Entities, u *tg.UpdateChannelUserTyping) error {
		tc.queueTyping(&tg.PeerChannel{ChannelID: u.ChannelID}, u.FromID, u.Action)
		return nil
	})
	d.OnUserStatus(func(ctx context.Context, _ tg.Entities, u *tg.UpdateUserStatus) error {
		tc.handleUserStatus(ctx, u)
		return nil
	})
}
