package lanes

import (
	"context"
	"sync"
)

// DefaultDepth is how many items a lane holds before Go blocks its caller.
const DefaultDepth = 1024

// Group is a set of lanes keyed by name. The zero value is not usable; call New.
//
// Contract: items given to Go with the same key run in the order of the Go calls, never two at
// once; items of different keys may run at the same time. An item runs on a goroutine of its
// lane with the group's context; it is never dropped once Go returned, unless the context is
// cancelled first (then the items still queued are skipped: callers that must not lose them
// keep them somewhere durable and give them again after a restart). Go blocks while the lane
// already holds Depth items, so a slow chat slows its producer instead of growing memory.
type Group struct {
	ctx   context.Context
	depth int

	mu    sync.Mutex
	lanes map[string]*lane
	idle  *sync.Cond // signalled when a lane finishes an item
}

type lane struct {
	queue   []func(context.Context)
	running bool
	// done counts finished items, added counts accepted ones: Wait compares them.
	added, done uint64
}

// New makes a group whose items run with ctx. depth ≤ 0 means DefaultDepth.
func New(ctx context.Context, depth int) *Group {
	if depth <= 0 {
		depth = DefaultDepth
	}
	g := &Group{ctx: ctx, depth: depth, lanes: map[string]*lane{}}
	g.idle = sync.NewCond(&g.mu)
	// A producer blocked on a full lane must see the cancellation.
	context.AfterFunc(ctx, func() {
		g.mu.Lock()
		g.idle.Broadcast()
		g.mu.Unlock()
	})
	return g
}

// Go queues fn on the lane key and returns once it is queued (not run).
func (g *Group) Go(key string, fn func(context.Context)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var l *lane
	for {
		// Look the lane up again after every wait: it is dropped when it runs dry, and a
		// second goroutine on a stale lane would break the order.
		l = g.lanes[key]
		if l == nil {
			l = &lane{}
			g.lanes[key] = l
		}
		if len(l.queue) < g.depth || g.ctx.Err() != nil {
			break
		}
		g.idle.Wait()
	}
	l.queue = append(l.queue, fn)
	l.added++
	if !l.running {
		l.running = true
		go g.run(key, l)
	}
}

// run works through a lane's queue and ends when it is empty.
func (g *Group) run(key string, l *lane) {
	for {
		g.mu.Lock()
		if len(l.queue) == 0 {
			l.running = false
			if l.added == l.done {
				delete(g.lanes, key)
			}
			g.idle.Broadcast()
			g.mu.Unlock()
			return
		}
		fn := l.queue[0]
		l.queue[0] = nil
		l.queue = l.queue[1:]
		g.mu.Unlock()

		if g.ctx.Err() == nil {
			fn(g.ctx)
		}

		g.mu.Lock()
		l.done++
		g.idle.Broadcast()
		g.mu.Unlock()
	}
}

// Wait blocks until every item queued on key before the call has finished. An event that is
// handled inline (not on a lane) but must come after the chat's earlier events calls it first.
func (g *Group) Wait(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.lanes[key]
	if l == nil {
		return
	}
	target := l.added
	for l.done < target {
		g.idle.Wait()
	}
}

// WaitAll blocks until every item queued on any lane before the call has finished.
func (g *Group) WaitAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	targets := make(map[*lane]uint64, len(g.lanes))
	for _, l := range g.lanes {
		targets[l] = l.added
	}
	for l, target := range targets {
		for l.done < target {
			g.idle.Wait()
		}
	}
}

// Pending is the number of items queued or running over all lanes.
func (g *Group) Pending() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, l := range g.lanes {
		n += int(l.added - l.done)
	}
	return n
}
