package connector

import (
	"context"
	"slices"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waHistorySync"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/reflect/protoreflect"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

// History sync: after linking (and now and then later) the phone pushes recent history to the
// new device as events.HistorySync blobs: conversations, each with its newest messages. WhatsApp
// has no API to ask for history, so this is the only history the bridge ever gets.
//
// Each conversation becomes a chat resync that creates the portal if needed and carries the
// parsed messages as bundled backfill data; bridgev2 then calls FetchMessages (backfill.go),
// which converts them. Nothing of the history sync is stored: a restart forgets what was not
// bridged yet.

// historyBundle is the bundled backfill data of one chat: the messages of a history sync that
// can be bridged, oldest first, without duplicates.
type historyBundle struct {
	chat     types.JID
	messages []*events.Message
	// markRead is true if the chat had no unread messages on the phone.
	markRead bool
}

func (wc *Client) handleHistorySync(ctx context.Context, evt *events.HistorySync) {
	data := evt.Data
	if data == nil {
		return
	}
	log := zerolog.Ctx(ctx).With().
		Str("action", "history sync").
		Stringer("sync_type", data.GetSyncType()).
		Uint32("chunk_order", data.GetChunkOrder()).
		Logger()
	ctx = log.WithContext(ctx)
	// Names first: ghosts created for the portals below read them from the contact store.
	wc.storeHistoryPushNames(ctx, data.GetPushnames())
	cfg := wc.conn.Bridge.Config.Backfill
	if !cfg.Enabled {
		// Without backfill every chat would become an empty room; portals appear with the
		// next live message instead.
		log.Debug().Int("conversations", len(data.GetConversations())).Msg("Backfill is disabled, ignoring history sync conversations")
		return
	}
	if wc.wa == nil {
		return
	}
	limit := max(cfg.MaxInitialMessages, cfg.MaxCatchupMessages)
	queued := 0
	for _, conv := range data.GetConversations() {
		if wc.queueHistoryConversation(ctx, conv, limit) {
			queued++
		}
	}
	log.Info().Int("conversations", len(data.GetConversations())).Int("queued", queued).Msg("Handled history sync")
}

// storeHistoryPushNames stores the names people chose for themselves, as the phone knows them.
func (wc *Client) storeHistoryPushNames(ctx context.Context, names []*waHistorySync.Pushname) {
	if wc.device == nil {
		return
	}
	for _, pn := range names {
		jid, err := types.ParseJID(pn.GetID())
		if err != nil || jid.User == "" || pn.GetPushname() == "" || jid.ToNonAD() == wc.ownJID() {
			continue
		}
		if _, _, err = wc.device.Contacts.PutPushName(ctx, jid.ToNonAD(), pn.GetPushname()); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to store push name from history sync")
		}
	}
}

// queueHistoryConversation parses one conversation of a history sync and queues the chat
// resync that backfills it. It reports whether it queued anything.
func (wc *Client) queueHistoryConversation(ctx context.Context, conv *waHistorySync.Conversation, limit int) bool {
	log := zerolog.Ctx(ctx)
	chat, err := ids.ParsePortalID(networkid.PortalID(conv.GetID()))
	if err != nil {
		log.Debug().Str("chat_id", conv.GetID()).Msg("Skipping history sync conversation with an invalid chat ID")
		return false
	}
	chat = chat.ToNonAD()
	if !wc.wantChat(chat) || len(conv.GetMessages()) == 0 {
		return false
	}
	msgs := wc.parseHistoryMessages(ctx, chat, conv)
	if limit > 0 && len(msgs) > limit {
		msgs = msgs[len(msgs)-limit:]
	}
	if len(msgs) == 0 {
		return false
	}
	wc.storeHistoryMessagePushNames(ctx, msgs)
	latest := msgs[len(msgs)-1].Info.Timestamp
	wc.queue(ctx, &simplevent.ChatResync{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventChatResync,
			PortalKey:    ids.PortalKey(chat, wc.login.ID),
			CreatePortal: true,
			Timestamp:    latest,
			LogContext: func(c zerolog.Context) zerolog.Context {
				return c.Stringer("chat_id", chat).Int("history_messages", len(msgs))
			},
		},
		GetChatInfoFunc: wc.historyChatInfo,
		LatestMessageTS: latest,
		BundledBackfillData: &historyBundle{
			chat:     chat,
			messages: msgs,
			markRead: conv.GetUnreadCount() == 0 && !conv.GetMarkedAsUnread(),
		},
	})
	return true
}

// historyChatInfo is the chat info of a portal a history sync creates: the usual info, marked
// as backfillable so that bridgev2 backfills the new room. For a portal that exists already
// the resync only backfills, so it costs no request to WhatsApp.
func (wc *Client) historyChatInfo(ctx context.Context, portal *bridgev2.Portal) (*bridgev2.ChatInfo, error) {
	if portal.MXID != "" {
		return nil, nil
	}
	info, err := wc.GetChatInfo(ctx, portal)
	if err != nil {
		return nil, err
	}
	info.CanBackfill = true
	return info, nil
}

// parseHistoryMessages returns the bridgeable messages of a conversation, oldest first. Edits
// replace the content of the message they edit; duplicates, system messages (which have no
// content), protocol messages, reactions (they come attached to their message) and poll votes
// are dropped, as are messages whatsmeow cannot parse.
func (wc *Client) parseHistoryMessages(ctx context.Context, chat types.JID, conv *waHistorySync.Conversation) []*events.Message {
	log := zerolog.Ctx(ctx)
	type parsed struct {
		evt    *events.Message
		isEdit bool
	}
	all := make([]parsed, 0, len(conv.GetMessages()))
	for _, hm := range conv.GetMessages() {
		web := hm.GetMessage()
		if web == nil {
			continue
		}
		evt, err := wc.wa.ParseWebMessage(chat, web)
		if err != nil {
			// The error names the message ID at most, never its content.
			log.Debug().Err(err).Stringer("chat_id", chat).Str("message_id", web.GetKey().GetID()).
				Msg("Skipping history sync message that could not be parsed")
			continue
		}
		if !backfillable(evt.Message) {
			continue
		}
		all = append(all, parsed{evt: evt, isEdit: string(evt.Info.ID) != web.GetKey().GetID()})
	}
	// WhatsApp sends conversations newest first; the order of equal timestamps is kept.
	slices.SortStableFunc(all, func(a, b parsed) int { return a.evt.Info.Timestamp.Compare(b.evt.Info.Timestamp) })
	out := make([]*events.Message, 0, len(all))
	index := make(map[networkid.MessageID]int, len(all))
	for _, p := range all {
		info := p.evt.Info
		id := ids.MessageID(chat, info.Sender, info.ID)
		i, seen := index[id]
		switch {
		case p.isEdit && seen:
			edited := *out[i]
			edited.Message = p.evt.Message
			out[i] = &edited
		case p.isEdit, seen:
			// An edit of a message that is not here, or a duplicate.
		default:
			index[id] = len(out)
			out = append(out, p.evt)
		}
	}
	return out
}

// backfillable reports whether a history message has content to bridge on its own.
func backfillable(msg *waE2E.Message) bool {
	switch {
	case msg == nil, msg.GetProtocolMessage() != nil, msg.GetReactionMessage() != nil,
		msg.GetEncReactionMessage() != nil, msg.GetPollUpdateMessage() != nil:
		return false
	}
	content := false
	msg.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		switch fd.Name() {
		case "messageContextInfo", "senderKeyDistributionMessage":
			return true
		}
		content = true
		return false
	})
	return content
}

// storeHistoryMessagePushNames stores the push names carried by history messages for people
// whose name the contact store does not know yet: the names of a history sync's push name list
// and of live messages are newer. msgs is oldest first, so the newest name of a sender wins.
func (wc *Client) storeHistoryMessagePushNames(ctx context.Context, msgs []*events.Message) {
	if wc.device == nil {
		return
	}
	done := map[types.JID]bool{}
	for i := len(msgs) - 1; i >= 0; i-- {
		info := msgs[i].Info
		sender := info.Sender.ToNonAD()
		if info.IsFromMe || info.PushName == "" || done[sender] {
			continue
		}
		done[sender] = true
		contact, err := wc.device.Contacts.GetContact(ctx, sender)
		if err != nil || contact.PushName != "" {
			continue
		}
		if _, _, err = wc.device.Contacts.PutPushName(ctx, sender, info.PushName); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Failed to store push name from history sync")
		}
	}
}
