package loadtest

import (
	"sync"
	"time"
)

// firstSeen notes when each body first arrived and wakes whoever waits for it. Both sides of a
// measurement use it: the Matrix side (Watcher) and the network side (watchArrivals).
type firstSeen struct {
	mu   sync.Mutex
	seen map[string]time.Time
	wait map[string]chan time.Time
	dups int
}

func newFirstSeen() *firstSeen {
	return &firstSeen{seen: map[string]time.Time{}, wait: map[string]chan time.Time{}}
}

// note records body's arrival at `at`; a body seen before only counts as a duplicate.
func (f *firstSeen) note(body string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.seen[body]; ok {
		f.dups++
		return
	}
	f.seen[body] = at
	if ch, ok := f.wait[body]; ok {
		ch <- at
		delete(f.wait, body)
	}
}

// Expect registers interest in body before it is sent, and returns a channel that receives
// the time the body first arrived (at once if it already has).
func (f *firstSeen) Expect(body string) <-chan time.Time {
	ch := make(chan time.Time, 1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if at, ok := f.seen[body]; ok {
		ch <- at
	} else {
		f.wait[body] = ch
	}
	return ch
}

// Seen reports when body first arrived.
func (f *firstSeen) Seen(body string) (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, ok := f.seen[body]
	return at, ok
}

// duplicates counts bodies that arrived more than once.
func (f *firstSeen) duplicates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dups
}

// watchArrivals indexes a Target's arrival stream by body.
func watchArrivals(src <-chan Arrival) *firstSeen {
	f := newFirstSeen()
	go func() {
		for a := range src {
			f.note(a.Body, a.At)
		}
	}()
	return f
}
