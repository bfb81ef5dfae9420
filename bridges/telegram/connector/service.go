package connector

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// handleOtherService bridges the service messages handleService leaves: pins and group photos
// change room state, a group's creation sets its name and members, and the rest that people
// should see (calls, screenshots, game scores, ...) become notices from the sender's ghost.
func (tc *Client) handleOtherService(_ context.Context, portal networkid.PortalKey, msg *tg.MessageService) {
	sender := tc.serviceSender(msg)
	ts := time.Unix(int64(msg.Date), 0)
	switch a := msg.Action.(type) {
	case *tg.MessageActionPinMessage:
		if header, ok := msg.ReplyTo.(*tg.MessageReplyHeader); ok && header.ReplyToMsgID != 0 {
			tc.queuePins(portal, sender, true, []int{header.ReplyToMsgID}, ts)
		}
		return
	case *tg.MessageActionChatEditPhoto:
		tc.queueChatInfo(portal, sender, ts, &bridgev2.ChatInfo{Avatar: tc.photoAvatar(a.Photo)}, nil)
		return
	case *tg.MessageActionChatDeletePhoto:
		tc.queueChatInfo(portal, sender, ts, &bridgev2.ChatInfo{Avatar: &bridgev2.Avatar{Remove: true}}, nil)
		return
	case *tg.MessageActionChatCreate:
		title := a.Title
		members := bridgev2.ChatMemberMap{}
		for _, u := range a.Users {
			members[ids.UserID(u)] = bridgev2.ChatMember{EventSender: tc.memberSender(u), Membership: event.MembershipJoin}
		}
		tc.queueChatInfo(portal, sender, ts, &bridgev2.ChatInfo{Name: &title}, members)
	case *tg.MessageActionChatJoinedByRequest:
		if sender.Sender != "" {
			tc.queueChatInfo(portal, sender, ts, nil, bridgev2.ChatMemberMap{
				sender.Sender: {EventSender: sender, Membership: event.MembershipJoin},
			})
		}
		return
	}
	text, ok := serviceNotice(msg.Action, tc.senderName(sender))
	if !ok {
		tc.login.Log.Debug().Type("action", msg.Action).Int("tg_message_id", msg.ID).Msg("Ignoring Telegram service message (not bridged yet)")
		return
	}
	tc.queue(&simplevent.Message[string]{
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
func (tc *Client) queueChatInfo(portal networkid.PortalKey, sender bridgev2.EventSender, ts time.Time, info *bridgev2.ChatInfo, members bridgev2.ChatMemberMap) {
	change := &bridgev2.ChatInfoChange{ChatInfo: info}
	if len(members) > 0 {
		change.MemberChanges = &bridgev2.ChatMemberList{MemberMap: members}
	}
	tc.queue(&simplevent.ChatInfoChange{
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

// serviceNotice is the text of the notice that shows a Telegram service action in Matrix, with
// actor the name of who performed it. ok is false for actions that are not shown as notices.
func serviceNotice(action tg.MessageActionClass, actor string) (text string, ok bool) {
	switch a := action.(type) {
	case *tg.MessageActionChatCreate:
		return fmt.Sprintf("%s created the group %q.", actor, a.Title), true
	case *tg.MessageActionChannelCreate:
		return fmt.Sprintf("%s created the channel %q.", actor, a.Title), true
	case *tg.MessageActionChatMigrateTo:
		return fmt.Sprintf("%s upgraded this group to a supergroup.", actor), true
	case *tg.MessageActionChannelMigrateFrom:
		return fmt.Sprintf("This supergroup was upgraded from the group %q.", a.Title), true
	case *tg.MessageActionHistoryClear:
		return fmt.Sprintf("%s cleared the chat history.", actor), true
	case *tg.MessageActionScreenshotTaken:
		return fmt.Sprintf("%s took a screenshot of the chat.", actor), true
	case *tg.MessageActionGameScore:
		return fmt.Sprintf("%s scored %d in a game.", actor, a.Score), true
	case *tg.MessageActionPhoneCall:
		return callNotice(a, actor), true
	case *tg.MessageActionContactSignUp:
		return fmt.Sprintf("%s joined Telegram.", actor), true
	case *tg.MessageActionCustomAction:
		return a.Message, strings.TrimSpace(a.Message) != ""
	case *tg.MessageActionSetMessagesTTL:
		if a.Period <= 0 {
			return fmt.Sprintf("%s turned off auto-delete.", actor), true
		}
		return fmt.Sprintf("%s set messages to auto-delete after %s.", actor, period(a.Period)), true
	case *tg.MessageActionGroupCall:
		if d, ok := a.GetDuration(); ok {
			return fmt.Sprintf("%s ended the video chat (%s).", actor, clock(d)), true
		}
		return fmt.Sprintf("%s started a video chat.", actor), true
	case *tg.MessageActionGroupCallScheduled:
		when := time.Unix(int64(a.ScheduleDate), 0).UTC().Format("2 Jan 2006 15:04 UTC")
		return fmt.Sprintf("%s scheduled a video chat for %s.", actor, when), true
	case *tg.MessageActionSetChatTheme:
		return fmt.Sprintf("%s changed the chat theme.", actor), true
	case *tg.MessageActionSetChatWallPaper:
		return fmt.Sprintf("%s changed the chat wallpaper.", actor), true
	}
	return "", false
}

// callNotice describes a finished call: missed, declined, cancelled or how long it lasted.
func callNotice(a *tg.MessageActionPhoneCall, caller string) string {
	kind := "Voice call"
	if a.Video {
		kind = "Video call"
	}
	duration, _ := a.GetDuration()
	switch a.Reason.(type) {
	case *tg.PhoneCallDiscardReasonMissed:
		return fmt.Sprintf("Missed %s from %s.", strings.ToLower(kind), caller)
	case *tg.PhoneCallDiscardReasonBusy:
		return fmt.Sprintf("%s from %s was declined.", kind, caller)
	case *tg.PhoneCallDiscardReasonDisconnect:
		if duration > 0 {
			return fmt.Sprintf("%s from %s was cut off after %s.", kind, caller, clock(duration))
		}
		return fmt.Sprintf("%s from %s could not connect.", kind, caller)
	}
	if duration > 0 {
		return fmt.Sprintf("%s from %s ended after %s.", kind, caller, clock(duration))
	}
	return fmt.Sprintf("%s from %s was cancelled.", kind, caller)
}

// clock writes a duration in seconds as m:ss or h:mm:ss.
func clock(seconds int) string {
	seconds = max(seconds, 0)
	h, m, s := seconds/3600, seconds/60%60, seconds%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// period writes an auto-delete period in seconds in the largest whole unit people use for it.
func period(seconds int) string {
	units := []struct {
		name string
		secs int
	}{{"month", 31 * 86400}, {"week", 7 * 86400}, {"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}}
	for _, u := range units {
		if seconds >= u.secs && seconds%u.secs == 0 {
			n := seconds / u.secs
			if n == 1 {
				return "1 " + u.name
			}
			return fmt.Sprintf("%d %ss", n, u.name)
		}
	}
	return fmt.Sprintf("%d seconds", seconds)
}
