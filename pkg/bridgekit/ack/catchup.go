package ack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/matrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Synapse loses events on a restart: it hands new events to an in-memory appservice queue and
// stores its stream position before they are in a stored transaction, so what a user sent in
// the seconds before Synapse stopped never reaches the bridge. The catch-up below closes that
// gap: it notices the homeserver going away and coming back, reads every portal's timeline
// for the time around the outage, and hands the bridge, in order, the messages of Matrix
// users that no transaction brought.

// Catch-up settings. Variables so that tests can shorten them.
var (
	// watchEvery is how often the homeserver is asked whether it is up.
	watchEvery = time.Second
	// lostBefore is how long before an outage was noticed an event may have been accepted and
	// lost: the homeserver's queue and the time the watch needs to notice.
	lostBefore = time.Minute
	// seenFor is how long an event received in a transaction is remembered.
	seenFor = 30 * time.Minute
)

// replayTypes are the events a catch-up hands on; the rest (state, receipts) is not lost
// content and is left alone.
var replayTypes = []event.Type{event.EventMessage, event.EventSticker, event.EventReaction, event.EventRedaction}

// seenEvents remembers the events that transactions brought, so that a catch-up hands on
// only the ones that never came.
type seenEvents struct {
	mu  sync.Mutex
	ids map[id.EventID]time.Time
}

func (s *seenEvents) add(now time.Time, evts ...id.EventID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[id.EventID]time.Time{}
	}
	for _, e := range evts {
		s.ids[e] = now
	}
	// Forget old entries now and then, in proportion to what is added.
	if len(s.ids)%1024 == 0 {
		for e, at := range s.ids {
			if now.Sub(at) > seenFor {
				delete(s.ids, e)
			}
		}
	}
}

func (s *seenEvents) has(e id.EventID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.ids[e]
	return ok
}

// transactionEvents reads the event IDs of a transaction body (nil if it is not one).
func transactionEvents(body []byte) []id.EventID {
	var txn struct {
		Events []struct {
			ID id.EventID `json:"event_id"`
		} `json:"events"`
	}
	if json.Unmarshal(body, &txn) != nil {
		return nil
	}
	out := make([]id.EventID, 0, len(txn.Events))
	for _, e := range txn.Events {
		out = append(out, e.ID)
	}
	return out
}

// readBody returns the request body and puts an unread copy back for the next handler.
func readBody(r *http.Request) []byte {
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	return body
}

// catchUp watches the homeserver and replays what it lost. It runs until ctx ends.
type catchUp struct {
	br   *bridgev2.Bridge
	mc   *matrix.Connector
	a    *acker
	once sync.Once
	ctx  context.Context

	// downSince is when the watch last saw the homeserver fail to answer, zero while no
	// catch-up is due. It has its own lock, so that an outage is noted even while a
	// transaction holds a.mu; a catch-up itself runs under a.mu, in place of a transaction.
	mu        sync.Mutex
	downSince time.Time
}

func (c *catchUp) markDown(now time.Time) (first bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.downSince.IsZero() {
		return false
	}
	c.downSince = now
	return true
}

func (c *catchUp) due() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.downSince, !c.downSince.IsZero()
}

// start begins the watch once the bridge runs (the first request from the homeserver).
func (c *catchUp) start() {
	c.once.Do(func() {
		ctx := c.br.BackgroundCtx
		if ctx == nil {
			ctx = context.Background()
		}
		c.ctx = c.br.Log.With().Str("component", "matrix-catch-up").Logger().WithContext(ctx)
		go c.watch(c.ctx)
	})
}

func (c *catchUp) watch(ctx context.Context) {
	log := zerolog.Ctx(ctx)
	client := &http.Client{Timeout: 2 * time.Second}
	url := c.mc.AS.BotClient().BuildClientURL("versions")
	tick := time.NewTicker(watchEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		up := err == nil && resp.StatusCode == http.StatusOK
		if !up {
			if c.markDown(time.Now()) {
				log.Warn().Msg("The homeserver does not answer; will catch up on Matrix events when it is back")
			}
			continue
		}
		if _, due := c.due(); due {
			c.a.mu.Lock()
			c.runLocked(ctx)
			c.a.mu.Unlock()
		}
	}
}

// runLocked catches up if an outage was seen. The caller holds a.mu, so no transaction is
// handled meanwhile: what the homeserver sends after coming back is handled after what it
// lost, in the timeline's order. A transaction that arrives first runs it too.
func (c *catchUp) runLocked(ctx context.Context) {
	downSince, due := c.due()
	if !due {
		return
	}
	log := zerolog.Ctx(ctx)
	log.Info().Time("down_since", downSince).Msg("The homeserver is back; catching up on Matrix events it may have lost")
	n, err := c.replayLocked(ctx, downSince.Add(-lostBefore))
	if err != nil {
		log.Err(err).Msg("Catching up on Matrix events failed; will try again")
		return
	}
	c.mu.Lock()
	if c.downSince.Equal(downSince) {
		c.downSince = time.Time{} // a newer outage noticed meanwhile stays due
	}
	c.mu.Unlock()
	log.Info().Int("events", n).Msg("Caught up on Matrix events")
}

// replayLocked hands on, in order per room, the Matrix users' events since `since` that no
// transaction brought. It returns how many it handed on. The caller holds a.mu.
func (c *catchUp) replayLocked(ctx context.Context, since time.Time) (int, error) {
	portals, err := c.br.GetAllPortalsWithMXID(ctx)
	if err != nil {
		return 0, err
	}
	bot := c.mc.AS.BotClient()
	n := 0
	for _, portal := range portals {
		evts, err := c.missed(ctx, bot, portal.MXID, since)
		if err != nil {
			zerolog.Ctx(ctx).Err(err).Stringer("room_id", portal.MXID).Msg("Could not read a portal's timeline to catch up")
			continue
		}
		for _, evt := range evts {
			if err = c.a.injectLocked(ctx, evt); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// missed reads a room's timeline back to `since` and returns, oldest first, the events of
// Matrix users (not the bot, not ghosts) that the bridge has neither seen nor stored.
func (c *catchUp) missed(ctx context.Context, bot *mautrix.Client, room id.RoomID, since time.Time) ([]*event.Event, error) {
	var out []*event.Event
	from := ""
	for {
		resp, err := bot.Messages(ctx, room, from, "", mautrix.DirectionBackward, nil, 100)
		if err != nil {
			return nil, err
		}
		older := false
		for _, evt := range resp.Chunk {
			if time.UnixMilli(evt.Timestamp).Before(since) {
				older = true
				break
			}
			if c.wanted(ctx, evt) {
				evt.RoomID = room
				out = append(out, evt)
			}
		}
		if older || resp.End == "" || len(resp.Chunk) == 0 {
			break
		}
		from = resp.End
	}
	slices.Reverse(out)
	return out, nil
}

func (c *catchUp) wanted(ctx context.Context, evt *event.Event) bool {
	if !slices.Contains(replayTypes, evt.Type) || evt.Sender == c.mc.Bot.UserID || c.a.seen.has(evt.ID) {
		return false
	}
	if _, isGhost := c.mc.ParseGhostMXID(evt.Sender); isGhost {
		return false
	}
	stored, err := c.br.DB.Message.GetPartByMXID(ctx, evt.ID)
	return err == nil && stored == nil
}

// withoutSeen returns a transaction body without the events a catch-up already handed on
// (the same body if there are none, or if it cannot be read: the appservice then answers it).
func withoutSeen(body []byte, seen *seenEvents) []byte {
	var txn map[string]json.RawMessage
	if json.Unmarshal(body, &txn) != nil {
		return body
	}
	var evts []json.RawMessage
	if json.Unmarshal(txn["events"], &evts) != nil {
		return body
	}
	kept := evts[:0:0]
	for _, raw := range evts {
		var e struct {
			ID id.EventID `json:"event_id"`
		}
		if json.Unmarshal(raw, &e) == nil && e.ID != "" && seen.has(e.ID) {
			continue
		}
		kept = append(kept, raw)
	}
	if len(kept) == len(evts) {
		return body
	}
	txn["events"], _ = json.Marshal(kept)
	out, err := json.Marshal(txn)
	if err != nil {
		return body
	}
	return out
}
