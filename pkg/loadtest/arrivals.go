package loadtest

import (
	"sync"
	"time"
)

// arrivals indexes a Target's arrival stream by body, like Watcher does for Matrix.
type arrivals struct {
	mu   sync.Mutex
	seen map[string]time.Time
	wait map[string]chan time.Time
	dups int
}

func watchArrivals(src <-chan Arrival) *arrivals {
	a := &arrivals{seen: map[string]time.Time{}, wait: map[string]chan time.Time{}}
	go func() {
		for arr := range src {
			a.note(arr)
		}
	}()
	return a
}

func (a *arrivals) note(arr Arrival) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.seen[arr.Body]; ok {
		a.dups++
		return
	}
	a.seen[arr.Body] = arr.At
	if ch, ok := a.wait[arr.Body]; ok {
		ch <- arr.At
		delete(a.wait, arr.Body)
	}
}

// Expect returns a channel that receives the time body arrived.
func (a *arrivals) Expect(body string) <-chan time.Time {
	ch := make(chan time.Time, 1)
	a.mu.Lock()
	defer a.mu.Unlock()
	if at, ok := a.seen[body]; ok {
		ch <- at
	} else {
		a.wait[body] = ch
	}
	return ch
}

// duplicates counts bodies that arrived more than once.
func (a *arrivals) duplicates() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dups
}
