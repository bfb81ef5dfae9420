package connector

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"maunium.net/go/mautrix/bridgev2/networkid"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/lanes"
)

// Incoming messages go through the journal (pkg/bridgekit/journal): the whatsmeow handler
// stores the event and returns true, so whatsmeow acknowledges it and hands over the next one,
// while the chat's lane bridges it and removes it from the journal once it is in Matrix. What
// was journalled but not bridged when the bridge stopped (or was killed) is bridged again on
// the next Connect, before whatsmeow delivers anything new.
//
// A replayed message may already be in Matrix (the bridge stopped after bridging it, before
// removing the entry). bridgev2 v0.32 makes that safe: Portal.handleRemoteMessage looks the
// message ID up in its message table (GetAllPartsByID) first and drops the event as
// "Ignoring duplicate message" when it is there, and with the portal queue off it writes that
// row before it answers QueueRemoteEvent.

// Retry delays of a message that could not be bridged for a reason that may pass (the
// homeserver is down): doubling from the first to the last, then the last until it goes through.
const (
	retryFirst = 250 * time.Millisecond
	retryMax   = 5 * time.Second
)

// journalFlushEvery is how often bridged messages are removed from the journal, in one
// statement per login: a commit per message would compete with the homeserver's own writes.
const journalFlushEvery = 200 * time.Millisecond

// inbound is a login's chat lanes.
type inbound struct {
	// feed serialises journalling (Put + Go) with a replay, so that every journal entry is on
	// exactly one lane of the current group.
	feed sync.Mutex

	mu     sync.Mutex
	group  *lanes.Group
	cancel context.CancelFunc
	// flight holds the messages journalled and not bridged yet, by message ID: WhatsApp
	// redelivers a message whose acknowledgement a killed bridge never sent, while the replay
	// of the journal already has it on its lane.
	flight map[networkid.MessageID]bool
}

// flightID is the message's key in inbound.flight.
func flightID(evt *events.Message) networkid.MessageID {
	return ids.MessageID(evt.Info.Chat, evt.Info.Sender, evt.Info.ID)
}

// fly marks a message journalled (on) or bridged (off); it reports whether it was journalled.
func (wc *Client) fly(msg networkid.MessageID, on bool) (was bool) {
	wc.inbound.mu.Lock()
	defer wc.inbound.mu.Unlock()
	if wc.inbound.flight == nil {
		wc.inbound.flight = map[networkid.MessageID]bool{}
	}
	was = wc.inbound.flight[msg]
	if on {
		wc.inbound.flight[msg] = true
	} else {
		delete(wc.inbound.flight, msg)
	}
	return was
}

// laneKey is the lane of a chat.
func laneKey(chat types.JID) string { return chat.ToNonAD().String() }

// chatOf is the chat an event that is handled inline belongs to, if it belongs to one.
func chatOf(rawEvt any) (types.JID, bool) {
	switch evt := rawEvt.(type) {
	case *events.Receipt:
		return evt.Chat, true
	case *events.UndecryptableMessage:
		return evt.Info.Chat, true
	case *events.ChatPresence:
		return evt.Chat, true
	case *events.GroupInfo:
		return evt.JID, true
	case *events.Picture:
		return evt.JID, true
	case *events.JoinedGroup:
		return evt.JID, true
	case *events.CallOffer:
		return callChat(evt.BasicCallMeta), true
	case *events.CallOfferNotice:
		return callChat(evt.BasicCallMeta), true
	}
	return types.JID{}, false
}

// lanes returns the login's current lane group, starting one if there is none.
func (wc *Client) lanes() *lanes.Group {
	wc.inbound.mu.Lock()
	defer wc.inbound.mu.Unlock()
	if wc.inbound.group == nil {
		ctx, cancel := context.WithCancel(wc.login.Log.WithContext(context.Background()))
		wc.inbound.group, wc.inbound.cancel = lanes.New(ctx, 0), cancel
	}
	return wc.inbound.group
}

// stopLanes cancels the login's lanes and waits for the items that were running: what is left
// stays in the journal for the next start.
func (wc *Client) stopLanes() {
	wc.inbound.mu.Lock()
	group, cancel := wc.inbound.group, wc.inbound.cancel
	wc.inbound.group, wc.inbound.cancel = nil, nil
	wc.inbound.mu.Unlock()
	if group != nil {
		cancel()
		group.WaitAll()
	}
	// So that a replay after this finds only what is not bridged.
	if err := wc.conn.removals.Flush(context.Background()); err != nil {
		wc.login.Log.Err(err).Msg("Failed to remove bridged messages from the inbound journal")
	}
}

// waitChat returns once the chat's lane has bridged every message journalled before.
func (wc *Client) waitChat(chat types.JID) {
	wc.inbound.mu.Lock()
	group := wc.inbound.group
	wc.inbound.mu.Unlock()
	if group != nil {
		group.Wait(laneKey(chat))
	}
}

// replayJournal starts fresh lanes and queues the login's journal entries on them, in order.
// Connect calls it before whatsmeow connects.
func (wc *Client) replayJournal(ctx context.Context) {
	wc.inbound.feed.Lock()
	defer wc.inbound.feed.Unlock()
	wc.stopLanes()
	log := zerolog.Ctx(ctx)
	entries, err := wc.conn.Journal.Pending(ctx, string(wc.login.ID))
	if err != nil {
		// They stay in the journal; the next Connect tries again.
		log.Err(err).Msg("Failed to read the inbound journal")
		return
	}
	if len(entries) == 0 {
		return
	}
	log.Info().Int("entries", len(entries)).Msg("Bridging journalled WhatsApp messages")
	group := wc.lanes()
	wc.inbound.mu.Lock()
	wc.inbound.flight = map[networkid.MessageID]bool{}
	wc.inbound.mu.Unlock()
	for _, e := range entries {
		evt, err := decodeMessage(e.Payload)
		if err != nil {
			log.Err(err).Int64("journal_seq", e.Seq).Msg("Dropping unreadable journal entry")
			wc.journalDone(e.Seq)
			continue
		}
		if wc.fly(flightID(evt), true) {
			// Journalled twice (an earlier bridge took a redelivery): bridged once.
			wc.journalDone(e.Seq)
			continue
		}
		seq := e.Seq
		group.Go(e.Lane, func(ctx context.Context) { wc.bridgeJournalled(ctx, seq, evt) })
	}
}

// journalMessage journals a message and queues it on its chat's lane. It reports whether
// whatsmeow may acknowledge the message: false when it could not be journalled.
func (wc *Client) journalMessage(ctx context.Context, evt *events.Message) bool {
	if !wc.wantChat(evt.Info.Chat) {
		return true
	}
	log := zerolog.Ctx(ctx)
	data, err := encodeMessage(evt)
	if err != nil {
		// Not a passing failure: redelivery would fail the same way. Bridge it directly.
		log.Err(err).Str("message_id", string(evt.Info.ID)).Msg("Failed to journal WhatsApp message, bridging it inline")
		key := laneKey(evt.Info.Chat)
		wc.lanes().Wait(key)
		retryCtx, retry := withOutcome(ctx)
		wc.handleMessage(retryCtx, evt)
		return !retry.Load()
	}
	key := laneKey(evt.Info.Chat)
	wc.inbound.feed.Lock()
	defer wc.inbound.feed.Unlock()
	if wc.fly(flightID(evt), true) {
		log.Debug().Str("message_id", string(evt.Info.ID)).Msg("Dropping redelivered WhatsApp message: it is journalled already")
		return true
	}
	seq, err := wc.conn.Journal.Put(ctx, string(wc.login.ID), key, data)
	if err != nil {
		wc.fly(flightID(evt), false)
		log.Err(err).Str("message_id", string(evt.Info.ID)).Msg("Failed to journal WhatsApp message; it will be redelivered")
		return false
	}
	wc.lanes().Go(key, func(ctx context.Context) { wc.bridgeJournalled(ctx, seq, evt) })
	return true
}

// bridgeJournalled bridges a journalled message on its lane, trying again while it fails for
// a reason that may pass, and removes it from the journal once it is bridged (or failed for
// good). If the lane stops first, the entry stays in the journal.
func (wc *Client) bridgeJournalled(ctx context.Context, seq int64, evt *events.Message) {
	log := zerolog.Ctx(ctx)
	delay := retryFirst
	for {
		// Once started, a handling runs to its end even if the lanes stop meanwhile: a
		// half-cancelled one could fail for good and drop the message.
		hctx, retry := withOutcome(context.WithoutCancel(ctx))
		wc.handleMessage(hctx, evt)
		if !retry.Load() {
			break
		}
		log.Debug().Str("message_id", string(evt.Info.ID)).Dur("retry_in", delay).Msg("Will bridge journalled WhatsApp message again")
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, retryMax)
	}
	wc.journalDone(seq)
	wc.fly(flightID(evt), false)
}

// journalDone has an entry removed with the next batch: it is bridged. If the bridge dies
// before that, the entry is bridged again on the next start, which bridgev2 drops as a
// duplicate.
func (wc *Client) journalDone(seq int64) {
	wc.conn.removals.Done(string(wc.login.ID), seq)
}

type outcomeKey struct{}

// withOutcome returns a context for handling one event and the flag that queue sets when part
// of it failed for a reason that may pass.
func withOutcome(ctx context.Context) (context.Context, *atomic.Bool) {
	retry := &atomic.Bool{}
	return context.WithValue(ctx, outcomeKey{}, retry), retry
}

// markRetry marks the handling ctx belongs to as to be tried again.
func markRetry(ctx context.Context) {
	if retry, ok := ctx.Value(outcomeKey{}).(*atomic.Bool); ok {
		retry.Store(true)
	}
}
