package connector

import (
	"context"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/remote"
)

// wantChat reports whether events of a chat are bridged at all.
func (wc *Client) wantChat(chat types.JID) bool {
	if chat.Server != types.BroadcastServer {
		return true
	}
	if chat == types.StatusBroadcastJID {
		return wc.conn.Config.BridgeStatusBroadcast
	}
	return wc.conn.Config.BridgeBroadcastLists
}

// sender is who did something, as bridgev2 needs it.
func (wc *Client) sender(jid types.JID, fromMe bool) bridgev2.EventSender {
	s := bridgev2.EventSender{IsFromMe: fromMe, Sender: ids.UserID(jid)}
	if fromMe {
		s.SenderLogin = wc.login.ID
		s.Sender = ids.UserID(wc.ownJID())
	}
	return s
}

func (wc *Client) meta(typ bridgev2.RemoteEventType, info types.MessageInfo) simplevent.EventMeta {
	return simplevent.EventMeta{
		Type:      typ,
		PortalKey: ids.PortalKey(info.Chat, wc.login.ID),
		Sender:    wc.sender(info.Sender, info.IsFromMe),
		Timestamp: info.Timestamp,
		LogContext: func(c zerolog.Context) zerolog.Context {
			return c.Str("message_id", string(info.ID)).Stringer("chat_id", info.Chat).Stringer("sender_id", info.Sender)
		},
		PreHandleFunc: func(ctx context.Context, _ *bridgev2.Portal) {
			wc.rememberPushName(ctx, info)
		},
	}
}

// targetOf is the bridge ID of the message a revoke, edit or reaction points at.
func (wc *Client) targetOf(info types.MessageInfo, key *waCommon.MessageKey) networkid.MessageID {
	sender := info.Sender
	switch {
	case key.GetParticipant() != "":
		if p, err := types.ParseJID(key.GetParticipant()); err == nil {
			sender = p
		}
	case key.GetFromMe():
		// The key is relative to whoever sent this event: "from me" means from info.Sender.
	case info.IsFromMe:
		sender = info.Chat
	default:
		sender = wc.ownJID()
	}
	return ids.MessageID(info.Chat, sender, types.MessageID(key.GetID()))
}

func (wc *Client) handleMessage(ctx context.Context, evt *events.Message) {
	info := evt.Info
	if !wc.wantChat(info.Chat) {
		return
	}
	if info.IsFromMe {
		wc.phoneSeen(ctx, info.Sender, info.Timestamp)
	}
	// Store the sender's chosen name first, so a ghost created for this event gets it.
	wc.storePushName(ctx, info)
	if !info.IsGroup && !info.IsFromMe {
		wc.subscribePresence(ctx, info.Sender)
	}
	if evt.IsViewOnce {
		wc.handleViewOnce(ctx, evt)
		return
	}
	msg := evt.Message
	switch {
	case msg.GetProtocolMessage() != nil:
		wc.handleProtocol(ctx, info, msg.GetProtocolMessage())
	case msg.GetReactionMessage() != nil:
		wc.handleReaction(ctx, info, msg.GetReactionMessage())
	default:
		meta := wc.meta(bridgev2.RemoteEventMessage, info)
		meta.CreatePortal = true
		wc.queue(ctx, &simplevent.Message[*waE2E.Message]{
			EventMeta: meta,
			ID:        ids.MessageID(info.Chat, info.Sender, info.ID),
			Data:      msg,
			ConvertMessageFunc: func(ctx context.Context, portal *bridgev2.Portal, intent bridgev2.MatrixAPI, data *waE2E.Message) (*bridgev2.ConvertedMessage, error) {
				switch {
				case waconv.IsPoll(data):
					return pollToMatrix(evt), nil
				case data.GetPollUpdateMessage() != nil:
					return wc.voteToMatrix(ctx, portal, evt)
				}
				var conv *bridgev2.ConvertedMessage
				if waconv.IsMedia(data) {
					media := mediaMover{wc: wc, intent: intent, room: portal.MXID}
					conv = waconv.MediaToMatrix(ctx, info.Chat, data, media, wc.users(), wc.conn.maxFileSize.Load())
				} else {
					conv = waconv.ToMatrix(ctx, info.Chat, data, wc.users())
				}
				if exp := expirationOf(data); exp > 0 {
					conv.Disappear = *disappearing(exp)
				}
				return conv, nil
			},
		})
	}
}

func (wc *Client) handleProtocol(ctx context.Context, info types.MessageInfo, pm *waE2E.ProtocolMessage) {
	switch pm.GetType() {
	case waE2E.ProtocolMessage_REVOKE:
		wc.queue(ctx, &simplevent.MessageRemove{
			EventMeta:     wc.meta(bridgev2.RemoteEventMessageRemove, info),
			TargetMessage: wc.targetOf(info, pm.GetKey()),
		})
	case waE2E.ProtocolMessage_EPHEMERAL_SETTING:
		wc.handleDisappearSetting(ctx, info, pm.GetEphemeralExpiration())
	case waE2E.ProtocolMessage_MESSAGE_EDIT:
		edited := pm.GetEditedMessage()
		wc.queue(ctx, &simplevent.Message[*waE2E.Message]{
			EventMeta:     wc.meta(bridgev2.RemoteEventEdit, info),
			TargetMessage: wc.targetOf(info, pm.GetKey()),
			Data:          edited,
			ConvertEditFunc: func(ctx context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, existing []*database.Message, data *waE2E.Message) (*bridgev2.ConvertedEdit, error) {
				conv := waconv.ToMatrix(ctx, info.Chat, data, wc.users())
				return &bridgev2.ConvertedEdit{ModifiedParts: []*bridgev2.ConvertedEditPart{
					conv.Parts[0].ToEditPart(existing[0]),
				}}, nil
			},
		})
	default:
		zerolog.Ctx(ctx).Debug().Stringer("protocol_type", pm.GetType()).Msg("Ignoring WhatsApp protocol message")
	}
}

// queue hands an event to bridgev2 and logs what the bridge could not accept. An event that
// failed for a reason that may pass marks the handling that ctx belongs to (see withOutcome)
// as to be tried again: by WhatsApp's redelivery, or by the journal's retry.
func (wc *Client) queue(ctx context.Context, evt bridgev2.RemoteEvent) {
	if !remote.Queue(wc.login, "whatsapp", evt) {
		markRetry(ctx)
	}
}
