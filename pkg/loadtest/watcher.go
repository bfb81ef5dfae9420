package loadtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
)

// Watcher is a Matrix client's own /sync loop that notes when each message body first arrives.
// It is lighter than matrixtest's recording loop (it keeps a time per body, not the events) and
// asks for long timelines, so that a burst of thousands of messages is seen whole.
type Watcher struct {
	*firstSeen
	cli    *mautrix.Client
	mu     sync.Mutex
	gaps   int
	cancel context.CancelFunc
	done   chan struct{}
}

// watchFilter asks for up to 1,000 timeline events per room and sync, and nothing else.
const watchFilter = `{"presence":{"not_types":["*"]},"account_data":{"not_types":["*"]},` +
	`"room":{"timeline":{"limit":1000,"types":["m.room.message"]},"state":{"types":[]},` +
	`"ephemeral":{"not_types":["*"]},"account_data":{"not_types":["*"]}}}`

// Watch starts a Watcher for the user behind cli from now on (earlier messages are not noted).
func Watch(cli *mautrix.Client) (*Watcher, error) {
	w := &Watcher{firstSeen: newFirstSeen(), cli: cli, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	resp, err := cli.FullSyncRequest(ctx, mautrix.ReqSync{FilterID: watchFilter})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("start watching %s: %w", cli.UserID, err)
	}
	go w.loop(ctx, resp.NextBatch)
	return w, nil
}

// Close stops the sync loop.
func (w *Watcher) Close() {
	w.cancel()
	<-w.done
}

func (w *Watcher) loop(ctx context.Context, since string) {
	defer close(w.done)
	for ctx.Err() == nil {
		resp, err := w.cli.FullSyncRequest(ctx, mautrix.ReqSync{Since: since, Timeout: 10000, FilterID: watchFilter})
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		now := time.Now()
		for _, room := range resp.Rooms.Join {
			if room.Timeline.Limited {
				w.mu.Lock()
				w.gaps++
				w.mu.Unlock()
			}
			for _, evt := range room.Timeline.Events {
				w.note(evt, now)
			}
		}
		since = resp.NextBatch
	}
}

func (w *Watcher) note(evt *event.Event, at time.Time) {
	if body, _ := evt.Content.Raw["body"].(string); body != "" {
		w.firstSeen.note(body, at)
	}
}

// Gaps counts syncs whose timeline for a room was cut short (limited): a burst larger than the
// filter's limit. Counts taken from such a run are checked against the room's history instead.
func (w *Watcher) Gaps() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gaps
}
