package connector

import (
	"context"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgconv"
)

// handleOtherService bridges the service messages handleService leaves: pins and group photos
// change room state, a group's creation sets its name and members, and the rest that people
// should see (calls, screenshots, game scores, ...) become notices from the sender's ghost.
func (tc *Client) handleOtherService(ctx context.Context, portal networkid.PortalKey, msg *tg.MessageService) {
	sender := tc.serviceSender(msg)
	ts := time.Unix(int64(msg.Date), 0)
	switch a := msg.Action.(type) {
	case *tg.MessageActionPinMessage:
		if header, ok := msg.ReplyTo.(*tg.MessageReplyHeader); ok && header.ReplyToMsgID != 0 {
			tc.queuePins(ctx, portal, sender, true, []int{header.ReplyToMsgID}, ts)
		}
		return
	case *tg.MessageActionChatEditPhoto:
		tc.queueChatInfo(ctx, portal, sender, ts, &bridgev2.ChatInfo{Avatar: tc.photoAvatar(a.Photo)}, nil)
		return
	case *tg.MessageActionChatDeletePhoto:
		tc.queueChatInfo(ctx, portal, sender, ts, &bridgev2.ChatInfo{Avatar: &bridgev2.Avatar{Remove: true}}, nil)
		return
	case *tg.MessageActionChatCreate:
		title := a.Title
		members := bridgev2.ChatMemberMap{}
		for _, u := range a.Users {
			members[ids.UserID(u)] = bridgev2.ChatMember{EventSender: tc.memberSender(u), Membership: event.MembershipJoin}
		}
		tc.queueChatInfo(ctx, portal, sender, ts, &bridgev2.ChatInfo{Name: &title}, members)
	case *tg.MessageActionChatJoinedByRequest:
		if sender.Sender != "" {
			tc.queueChatInfo(ctx, portal, sender, ts, nil, bridgev2.ChatMemberMap{
				sender.Sender: {EventSender: sender, Membership: event.MembershipJoin},
			})
		}
		return
	}
	text, ok := tgconv.ServiceNotice(msg.Action, tc.senderName(sender))
	if !ok {
		zerolog.Ctx(ctx).Debug().Type("action", msg.Action).Int("message_id", msg.ID).Msg("Ignoring Telegram service message (not bridged yet)")
		return
	}
	tc.queue(ctx, &simplevent.Message[string]{
		EventMeta: simplevent.EventMeta{Type: bridgev2.RemoteEventMessage, PortalKey: portal, Sender: sender, Timestamp: ts, CreatePortal: true},
		ID:        ids.MessageIDOf(msg.PeerID, msg.ID),
		Data:      text,
		ConvertMessageFunc: func(context.Context, *bridgev2.Portal, bridgev2.MatrixAPI, string) (*bridgev2.ConvertedMessage, error) {
			return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
				Type: event.EventMessage, Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: text},
			}}}, nil
		},
	})
}

// queueChatInfo queues a change of a portal's info and (if any) members.
func (tc *Client) queueChatInfo(ctx context.Context, portal networkid.PortalKey, sender bridgev2.EventSender, ts time.Time, info *bridgev2.ChatInfo, members bridgev2.ChatMemberMap) {
	change := &bridgev2.ChatInfoChange{ChatInfo: info}
	if len(members) > 0 {
		change.MemberChanges = &bridgev2.ChatMemberList{MemberMap: members}
	}
	tc.queue(ctx, &simplevent.ChatInfoChange{
		EventMeta:      simplevent.EventMeta{Type: bridgev2.RemoteEventChatInfoChange, PortalKey: portal, Sender: sender, Timestamp: ts},
		ChatInfoChange: change,
	})
}

// serviceSender is who performed a service action: us, the author Telegram names, or (in
// private chats, where Telegram may leave the author out) the other person.
func (tc *Client) serviceSender(msg *tg.MessageService) bridgev2.EventSender {
	switch {
	case msg.Out:
		return bridgev2.EventSender{IsFromMe: true, SenderLogin: tc.login.ID, Sender: networkidOfLogin(tc)}
	case msg.FromID != nil:
		if from, ok := msg.FromID.(*tg.PeerUser); ok {
			return tc.memberSender(from.UserID)
		}
	default:
		if peer, ok := msg.PeerID.(*tg.PeerUser); ok {
			return bridgev2.EventSender{Sender: ids.UserID(peer.UserID)}
		}
	}
	return bridgev2.EventSender{}
}

// senderName is the display name of a sender, for the text of notices.
func (tc *Client) senderName(sender bridgev2.EventSender) string {
	if id, err := ids.ParseUserID(sender.Sender); err == nil {
		if u, ok := tc.user(id); ok {
			return *userInfo(u).Name
		}
	}
	return "Someone"
}
