package journal

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// removeBatch is the most entries one statement removes.
const removeBatch = 500

// Remover removes bridged entries in batches, off the caller's path: one statement (one commit)
// per login and batch instead of one per entry. An entry that is bridged but not yet removed
// when the process dies is handed out again by Pending, so a caller that uses a Remover must,
// like every journal user, tolerate handling an entry twice. The zero value is not usable; call
// Journal.NewRemover.
type Remover struct {
	j     *Journal
	every time.Duration

	mu      sync.Mutex
	pending map[string][]int64
	wake    chan struct{}
	stop    chan struct{}
	stopped chan struct{}
}

// NewRemover starts a remover that writes what it was given every interval (or sooner when a
// batch is full). Close writes the rest and stops it.
func (j *Journal) NewRemover(every time.Duration) *Remover {
	r := &Remover{
		j: j, every: every, pending: map[string][]int64{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	go r.loop()
	return r
}

// Done marks an entry as bridged; it is removed with the next batch.
func (r *Remover) Done(login string, seq int64) {
	r.mu.Lock()
	r.pending[login] = append(r.pending[login], seq)
	full := len(r.pending[login]) >= removeBatch
	r.mu.Unlock()
	if full {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

// Flush removes every entry given to Done so far and returns the first error.
func (r *Remover) Flush(ctx context.Context) error {
	r.mu.Lock()
	batch := r.pending
	r.pending = map[string][]int64{}
	r.mu.Unlock()
	var first error
	for login, seqs := range batch {
		for len(seqs) > 0 {
			n := min(len(seqs), removeBatch)
			if err := r.j.doneMany(ctx, login, seqs[:n]); err != nil && first == nil {
				first = err
			}
			seqs = seqs[n:]
		}
	}
	return first
}

// Close flushes and stops the remover.
func (r *Remover) Close(ctx context.Context) error {
	close(r.stop)
	<-r.stopped
	return r.Flush(ctx)
}

func (r *Remover) loop() {
	defer close(r.stopped)
	tick := time.NewTicker(r.every)
	defer tick.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-tick.C:
		case <-r.wake:
		}
		// A failed batch stays in the journal: Pending hands it out again after a restart.
		_ = r.Flush(context.Background())
	}
}

// doneMany removes a login's entries with the given sequence numbers in one statement.
func (j *Journal) doneMany(ctx context.Context, login string, seqs []int64) error {
	args := make([]any, 0, len(seqs)+2)
	args = append(args, j.bridgeID, login)
	marks := make([]string, len(seqs))
	for i, seq := range seqs {
		args = append(args, seq)
		marks[i] = fmt.Sprintf("$%d", i+3)
	}
	_, err := j.db.Exec(ctx, "DELETE FROM mxbridges_journal WHERE bridge_id=$1 AND login_id=$2 AND seq IN ("+strings.Join(marks, ",")+")", args...)
	if err != nil {
		return fmt.Errorf("delete journal entries: %w", err)
	}
	return nil
}
