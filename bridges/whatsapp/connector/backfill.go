package connector

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
	"github.com/mxbridges/mxbridges/pkg/metrics"
)

var _ bridgev2.BackfillingNetworkAPI = (*Client)(nil)

// FetchMessages returns the messages a history sync bundled with a chat resync (see
// backfill_historysync.go), converted for Matrix. WhatsApp has no API to fetch history on
// demand: a fetch without bundled data (catch-up after a restart, backward backfill, threads)
// returns nothing and says there is no more.
func (wc *Client) FetchMessages(ctx context.Context, params bridgev2.FetchMessagesParams) (resp *bridgev2.FetchMessagesResponse, fetchErr error) {
	defer func() {
		if resp != nil {
			metrics.Backfilled(metrics.BackfillKind(params.Forward), len(resp.Messages))
		}
	}()
	bundle, ok := params.BundledData.(*historyBundle)
	if !ok || !params.Forward || params.ThreadRoot != "" {
		return &bridgev2.FetchMessagesResponse{HasMore: false, Forward: params.Forward}, nil
	}
	chat, err := ids.ParsePortalID(params.Portal.ID)
	if err != nil {
		return nil, err
	} else if chat != bundle.chat {
		return nil, fmt.Errorf("history of %s bundled for portal %s", bundle.chat, chat)
	}
	msgs := bundle.messages
	if anchor := params.AnchorMessage; anchor != nil {
		// Messages up to the newest bridged one would be cut off by bridgev2 anyway; dropping
		// them first saves converting them (and downloading their media).
		first := len(msgs)
		for i, msg := range msgs {
			if msg.Info.Timestamp.After(anchor.Timestamp) {
				first = i
				break
			}
		}
		msgs = msgs[first:]
	}
	if params.Count > 0 && len(msgs) > params.Count {
		msgs = msgs[len(msgs)-params.Count:]
	}
	out := make([]*bridgev2.BackfillMessage, 0, len(msgs))
	for _, msg := range msgs {
		out = append(out, wc.backfillMessage(ctx, params.Portal, msg))
	}
	return &bridgev2.FetchMessagesResponse{Messages: out, HasMore: false, Forward: true, MarkRead: bundle.markRead}, nil
}

// backfillMessage converts one history message as handleMessage converts a live one.
func (wc *Client) backfillMessage(ctx context.Context, portal *bridgev2.Portal, evt *events.Message) *bridgev2.BackfillMessage {
	info := evt.Info
	var conv *bridgev2.ConvertedMessage
	switch {
	case evt.IsViewOnce:
		conv = &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
			Type:    event.EventMessage,
			Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: viewOnceNotice},
		}}}
	case waconv.IsPoll(evt.Message):
		conv = pollToMatrix(evt)
	case waconv.IsMedia(evt.Message):
		// Backfill converts before bridgev2 picks the sender's intent; the bot, which is
		// always registered, uploads the file.
		media := mediaMover{wc: wc, intent: wc.conn.Bridge.Bot, room: portal.MXID}
		conv = waconv.MediaToMatrix(ctx, info.Chat, evt.Message, media, wc.users(), wc.conn.maxFileSize.Load())
	default:
		conv = waconv.ToMatrix(ctx, info.Chat, evt.Message, wc.users())
	}
	return &bridgev2.BackfillMessage{
		ConvertedMessage: conv,
		Sender:           wc.sender(info.Sender, info.IsFromMe),
		ID:               ids.MessageID(info.Chat, info.Sender, info.ID),
		Timestamp:        info.Timestamp,
		Reactions:        wc.historyReactions(info, evt.SourceWebMsg),
	}
}

// historyReactions are the reactions a history sync attaches to a message: at most one per
// person, as on WhatsApp.
func (wc *Client) historyReactions(info types.MessageInfo, web *waWeb.WebMessageInfo) []*bridgev2.BackfillReaction {
	var out []*bridgev2.BackfillReaction
	bySender := map[types.JID]int{}
	for _, r := range web.GetReactions() {
		key := r.GetKey()
		var sender types.JID
		switch {
		case key.GetFromMe():
			sender = wc.ownJID()
		case key.GetParticipant() != "":
			p, err := types.ParseJID(key.GetParticipant())
			if err != nil || p.User == "" {
				continue
			}
			sender = p.ToNonAD()
		case info.Chat.Server != types.GroupServer:
			sender = info.Chat
		default:
			continue
		}
		reaction := &bridgev2.BackfillReaction{
			Sender: wc.sender(sender, key.GetFromMe()),
			Emoji:  r.GetText(),
			// Without a time of its own, a reaction follows its message, as bridgev2 does it.
			Timestamp: info.Timestamp.Add(10 * time.Millisecond),
		}
		if ms := r.GetSenderTimestampMS(); ms > 0 {
			reaction.Timestamp = time.UnixMilli(ms)
		}
		if i, ok := bySender[sender]; ok {
			if !reaction.Timestamp.Before(out[i].Timestamp) {
				out[i] = reaction
			}
			continue
		}
		bySender[sender] = len(out)
		out = append(out, reaction)
	}
	// An empty reaction is a removed one.
	kept := out[:0]
	for _, r := range out {
		if r.Emoji != "" {
			kept = append(kept, r)
		}
	}
	return kept
}
