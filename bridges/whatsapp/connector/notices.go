package connector

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

// queueNotice puts a notice from sender into a chat, creating the portal if needed: for what
// happened on WhatsApp that Matrix cannot carry (calls, view-once media).
func (wc *Client) queueNotice(ctx context.Context, chat, sender types.JID, fromMe bool, id networkid.MessageID, ts time.Time, text string) {
	wc.queue(ctx, &simplevent.PreConvertedMessage{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventMessage,
			PortalKey:    ids.PortalKey(chat, wc.login.ID),
			Sender:       wc.sender(sender, fromMe),
			Timestamp:    ts,
			CreatePortal: true,
		},
		ID: id,
		Data: &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
			Type:    event.EventMessage,
			Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: text},
		}}},
	})
}

// viewOnceNotice stands in for a view-once message, live or from history.
const viewOnceNotice = "Sent a view-once message. View-once messages are not bridged: open WhatsApp on your phone to view it."

// handleViewOnce tells the user a view-once message arrived without bridging its content: the
// sender meant it to be seen once, on the phone.
func (wc *Client) handleViewOnce(ctx context.Context, evt *events.Message) {
	info := evt.Info
	wc.queueNotice(ctx, info.Chat, info.Sender, info.IsFromMe, ids.MessageID(info.Chat, info.Sender, info.ID), info.Timestamp, viewOnceNotice)
}

// callChat is the chat a call's notice goes to: the group of a group call, else the caller's.
func callChat(meta types.BasicCallMeta) types.JID {
	if meta.GroupJID.Server == types.GroupServer {
		return meta.GroupJID
	}
	return meta.From
}

// handleCall tells the user about a call; calls themselves cannot be bridged.
func (wc *Client) handleCall(ctx context.Context, meta types.BasicCallMeta, media, kind string) {
	chat := callChat(meta)
	if media == "" {
		media = "voice"
	}
	text := fmt.Sprintf("Incoming WhatsApp %s call. Calls are not bridged: answer it on your phone.", media)
	if kind == "group" {
		text = fmt.Sprintf("A WhatsApp group %s call started. Calls are not bridged: join it on your phone.", media)
	}
	callID := ids.MessageID(chat, meta.From, types.MessageID("call-"+meta.CallID))
	wc.queueNotice(ctx, chat, meta.From, false, callID, meta.Timestamp, text)
}

// handleUndecryptable tells the user a message arrived that could not be read (a broken or
// missing ciphertext). If WhatsApp delivers it again after whatsmeow's retry request, it
// arrives as a normal message after this notice.
func (wc *Client) handleUndecryptable(ctx context.Context, evt *events.UndecryptableMessage) {
	info := evt.Info
	if !wc.wantChat(info.Chat) {
		return
	}
	wc.queueNotice(ctx, info.Chat, info.Sender, info.IsFromMe, ids.MessageID(info.Chat, info.Sender, "undecryptable-"+info.ID), info.Timestamp,
		"A message could not be decrypted by the bridge. WhatsApp may deliver it again; otherwise open WhatsApp on your phone to read it.")
}
