package connector

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/updates"
	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2/status"
)

// When the network drops, gotd keeps the client running: it closes the dead connection,
// reconnects with back-off, and requests made meanwhile wait for the new connection (one the
// server took but did not answer is sent again, with the same random_id). The connector
// watches the primary connection's state: while it is gone the login is TRANSIENT_DISCONNECT,
// a Matrix message waits for it, and once it is back the login is CONNECTED again and the
// updates manager asks for the difference of what it missed.
//
// A Matrix message waits at most offlineWait, below the 60 s after which Synapse gives up on
// an appservice transaction, and then fails with a message status that says why. A failed
// event is part of an acknowledged transaction: Synapse does not send it again, the sender
// sees the failure and may send it again. Each message waits on its own (the wait does not
// count from when the connection went): a long outage fails about one message per
// offlineWait, where a deadline shared by all would fail every message sent after it.

// Reconnection back-off: gotd's default grows to 5 s between attempts; a bridge should be back
// within a couple of seconds of the network.
const (
	reconnectFirst = 200 * time.Millisecond
	reconnectMax   = 2 * time.Second
)

// offlineWait bounds how long a Matrix message waits for a lost connection.
const offlineWait = 40 * time.Second

// reconnectBackoff is the back-off between gotd's reconnection attempts: from reconnectFirst,
// growing to reconnectMax, never giving up.
func reconnectBackoff() backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = reconnectFirst
	b.MaxInterval = reconnectMax
	b.MaxElapsedTime = 0
	return b
}

// errOffline fails a Matrix event that waited offlineWait for a lost connection.
var errOffline = fmt.Errorf("no connection to %s: the message waited %s for it", network, offlineWait)

// linkState is whether one gotd client's primary connection is up.
type linkState struct {
	// wait is how long a bound request waits while the connection is gone (offlineWait).
	wait  time.Duration
	mu    sync.Mutex
	down  bool
	since time.Time
	// back is closed when the connection comes back; lost when it goes (each is made anew
	// for the next change).
	back, lost chan struct{}
}

// newLinkState is the state of a new client's connection (up), whose bound requests wait
// at most wait for a lost connection.
func newLinkState(wait time.Duration) *linkState {
	return &linkState{wait: wait, back: make(chan struct{}), lost: make(chan struct{})}
}

// set records a change and reports whether it is one (a lost connection that came back, or
// a live one that was lost).
func (l *linkState) set(up bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if up != l.down {
		return false
	}
	l.down = !up
	if up {
		close(l.back)
		l.back = make(chan struct{})
	} else {
		l.since = time.Now()
		close(l.lost)
		l.lost = make(chan struct{})
	}
	return true
}

// bound returns ctx, cancelled with errOffline once the connection has been gone for l.wait
// since it went or since bound was called, whichever is later. Requests made with it wait for
// a lost connection no longer than that.
func (l *linkState) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	start := time.Now()
	go func() {
		for {
			l.mu.Lock()
			down, since, back, lost := l.down, l.since, l.back, l.lost
			l.mu.Unlock()
			if !down {
				select {
				case <-lost:
					continue
				case <-ctx.Done():
					return
				}
			}
			timer := time.NewTimer(time.Until(waitUntil(since, start, l.wait)))
			select {
			case <-back:
				timer.Stop()
			case <-timer.C:
				cancel(errOffline)
				return
			case <-ctx.Done():
				timer.Stop()
				return
			}
		}
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// watchConnection returns gotd's OnConnectionState callback for one client of the login: it
// reports the login's bridge state as the primary connection goes and comes back, and makes
// the updates manager fetch the difference after a reconnection (updates contacts sent while
// the connection was gone are only in Telegram's difference). The callback must not block:
// it hands the changes to a goroutine that ends with ctx.
func (tc *Client) watchConnection(ctx context.Context, link *linkState, manager *updates.Manager) func(telegram.ConnectionState) {
	changes := make(chan bool, 64)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case up := <-changes:
				if !link.set(up) {
					continue
				}
				log := zerolog.Ctx(ctx)
				if !up {
					log.Warn().Msg("Telegram connection lost; reconnecting")
					tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateTransientDisconnect, Error: stateConnectionLost})
					continue
				}
				log.Info().Msg("Telegram connection is back")
				tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnected})
				// Within the manager's run, UpdatesTooLong asks for updates.getDifference.
				if err := manager.Handle(ctx, &tg.UpdatesTooLong{}); err != nil {
					log.Warn().Err(err).Msg("Failed to ask Telegram for the updates missed while disconnected")
				}
			}
		}
	}()
	return func(s telegram.ConnectionState) {
		var up bool
		switch s {
		case telegram.ConnectionStateReady:
			up = true
		case telegram.ConnectionStateDisconnected:
		default:
			return
		}
		select {
		case changes <- up:
		default: // 64 changes behind: the next one tells the state
		}
	}
}

// waitUntil is when a request made at start stops waiting for a connection lost at since.
func waitUntil(since, start time.Time, wait time.Duration) time.Time {
	if since.Before(start) {
		since = start
	}
	return since.Add(wait)
}

// whileLinked bounds ctx for the requests of one Matrix event: they wait for a lost
// connection, but no longer than offlineWait. done releases it; offline turns an error of the
// event into the message status of an event that waited too long.
func (tc *Client) whileLinked(ctx context.Context) (bounded context.Context, done context.CancelFunc) {
	tc.mu.Lock()
	link := tc.link
	tc.mu.Unlock()
	if link == nil {
		return ctx, func() {}
	}
	return link.bound(ctx)
}

// offline is notAccepted(what, errOffline) when ctx (from whileLinked) ended because the
// connection was gone too long, else err.
func offline(ctx context.Context, what string, err error) error {
	if err != nil && errors.Is(context.Cause(ctx), errOffline) {
		return notAccepted(what, errOffline)
	}
	return err
}
