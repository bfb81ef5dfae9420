package ack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/matrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// transactionPath is where the homeserver PUTs transactions (Application Service API v1).
const transactionPath = "/_matrix/app/v1/transactions/"

// barrierType is the type of the events placed behind each transaction. No handler is
// registered for it: the event processor drops it, and taking it is all that counts.
var barrierType = event.Type{Type: "net.mxbridges.transaction_barrier", Class: event.MessageEventType}

// Install changes br so that transactions are acknowledged after handling. It must run in
// the network connector's Init, after the Matrix connector's Init and before Start.
func Install(br *bridgev2.Bridge) error {
	mc, ok := br.Matrix.(*matrix.Connector)
	if !ok || mc.AS == nil || mc.EventProcessor == nil {
		return fmt.Errorf("install transaction acknowledgement: the Matrix connector is not an initialised appservice")
	}
	br.Config.PortalEventBuffer = 0
	br.Config.DeduplicateMatrixMessages = true
	mc.Config.AppService.AsyncTransactions = false
	a := wrap(mc.AS, mc.EventProcessor)
	a.catchUp = &catchUp{br: br, mc: mc, a: a}
	// Every intent's client shares this http.Client (resend.go).
	mc.AS.HTTPClient.Transport = newResendGuard(mc.AS.HTTPClient.Transport)
	return nil
}

// Wrap makes as answer a transaction only after ep has handled all of it. ep must not have
// started yet. Install calls it; it is separate for tests of a bare appservice.
func Wrap(as *appservice.AppService, ep *appservice.EventProcessor) { wrap(as, ep) }

func wrap(as *appservice.AppService, ep *appservice.EventProcessor) *acker {
	ep.ExecMode = appservice.Sync
	ep.ExecSyncWarnTime, ep.ExecSyncTimeout = 0, 0
	a := &acker{events: as.Events, barriers: cap(as.Events) + 1}
	as.Middleware = append(as.Middleware, a.middleware)
	return a
}

type acker struct {
	events chan<- *event.Event
	// barriers is how many barrier events close a transaction: one more than the channel
	// holds. When the last of them is in the channel, the processor has taken the first, and
	// it takes one event only after it has handled the one before.
	barriers int
	// mu lets one transaction through at a time. Homeservers send one at a time anyway; a
	// retry of a transaction still being handled waits here and then finds it processed.
	mu sync.Mutex
	n  uint64
	// seen are the events transactions brought; catchUp (nil in bare tests) replays the
	// ones a homeserver restart lost.
	seen    seenEvents
	catchUp *catchUp
	// txns follows the transaction numbers, to notice one the homeserver skipped (gap.go).
	txns txnSequence
}

func (a *acker) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.catchUp != nil {
			a.catchUp.start() // the homeserver talks to the bridge: it runs
		}
		if r.Method != http.MethodPut || !strings.HasPrefix(r.URL.Path, transactionPath) {
			next.ServeHTTP(w, r)
			return
		}
		body := readBody(r)
		a.mu.Lock()
		defer a.mu.Unlock()
		txn, numbered := txnNumber(r.URL.Path)
		if a.catchUp != nil && a.catchUp.ctx != nil {
			if since, skipped, gap := a.txns.gap(txn); numbered && gap {
				zerolog.Ctx(a.catchUp.ctx).Warn().Uint64("transaction", txn).Uint64("skipped", skipped).
					Msg("The homeserver skipped transactions; catching up on Matrix events they may have held")
				a.catchUp.markDown(since)
			}
			// The homeserver is evidently up: what it lost comes before what it sends now.
			a.catchUp.runLocked(a.catchUp.ctx)
			if trimmed := withoutSeen(body, &a.seen); len(trimmed) != len(body) {
				body = trimmed
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
			}
		}
		rec := &recorder{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.code == http.StatusOK {
			if err := a.barrier(r.Context()); err != nil {
				// The homeserver gave up on this request; it will send the transaction again.
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
			a.seen.add(time.Now(), transactionEvents(body)...)
			if numbered {
				a.txns.handled(txn, time.Now())
			}
		}
		rec.flush(w)
	})
}

// barrier waits until the event processor has handled everything sent before it.
func (a *acker) barrier(ctx context.Context) error {
	for range a.barriers {
		a.n++
		evt := &event.Event{Type: barrierType, ID: id.EventID(fmt.Sprintf("$mxbridges-barrier-%d", a.n))}
		select {
		case a.events <- evt:
		case <-ctx.Done():
			return fmt.Errorf("wait for transaction handling: %w", ctx.Err())
		}
	}
	return nil
}

// injectLocked hands one event to the processor as if a transaction had brought it, and
// waits until it is handled. The caller holds a.mu.
func (a *acker) injectLocked(ctx context.Context, evt *event.Event) error {
	evt.Type.Class = event.MessageEventType
	evt.Mautrix.EventSource = event.SourceTimeline
	evt.Mautrix.ReceivedAt = time.Now()
	if err := evt.Content.ParseRaw(evt.Type); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Stringer("event_id", evt.ID).Msg("Could not parse the content of a caught-up event")
	}
	select {
	case a.events <- evt:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := a.barrier(ctx); err != nil {
		return err
	}
	a.seen.add(time.Now(), evt.ID)
	return nil
}

// recorder keeps the appservice's answer until the transaction is handled.
type recorder struct {
	header http.Header
	code   int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) { r.code = code }

func (r *recorder) Write(p []byte) (int, error) {
	r.body = append(r.body, p...)
	return len(p), nil
}

func (r *recorder) flush(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.code)
	_, _ = w.Write(r.body)
}
