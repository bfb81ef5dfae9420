package lanes

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrderPerLane(t *testing.T) {
	tests := []struct {
		name         string
		lanes, items int
		depth        int
	}{
		{"one lane", 1, 500, 0},
		{"many lanes", 16, 200, 0},
		{"tiny depth blocks producers", 8, 100, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(context.Background(), tt.depth)
			var mu sync.Mutex
			got := map[string][]int{}
			for i := 0; i < tt.items; i++ {
				for l := 0; l < tt.lanes; l++ {
					key, n := fmt.Sprint("chat", l), i
					g.Go(key, func(context.Context) {
						mu.Lock()
						got[key] = append(got[key], n)
						mu.Unlock()
					})
				}
			}
			g.WaitAll()
			if len(got) != tt.lanes {
				t.Fatalf("lanes run: %d, want %d", len(got), tt.lanes)
			}
			for key, seq := range got {
				if len(seq) != tt.items {
					t.Fatalf("%s ran %d items, want %d", key, len(seq), tt.items)
				}
				for i, n := range seq {
					if n != i {
						t.Fatalf("%s item %d ran at position %d", key, n, i)
					}
				}
			}
			if p := g.Pending(); p != 0 {
				t.Fatalf("pending after WaitAll: %d", p)
			}
		})
	}
}

func TestLanesRunInParallelButNotWithinALane(t *testing.T) {
	g := New(context.Background(), 0)
	var inLane [4]atomic.Int32
	var running, peak atomic.Int32
	release := make(chan struct{})
	for i := 0; i < 4; i++ {
		for j := 0; j < 3; j++ {
			idx := i
			g.Go(fmt.Sprint(i), func(context.Context) {
				if inLane[idx].Add(1) > 1 {
					t.Errorf("two items of lane %d at once", idx)
				}
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				<-release
				running.Add(-1)
				inLane[idx].Add(-1)
			})
		}
	}
	deadline := time.After(10 * time.Second)
	for peak.Load() < 4 {
		select {
		case <-deadline:
			t.Fatalf("only %d lanes ran at once, want 4", peak.Load())
		case <-time.After(time.Millisecond):
		}
	}
	close(release)
	g.WaitAll()
}

func TestWaitCoversOnlyEarlierItems(t *testing.T) {
	g := New(context.Background(), 0)
	gate := make(chan struct{})
	var first atomic.Bool
	g.Go("a", func(context.Context) { <-gate; first.Store(true) })
	waited := make(chan struct{})
	go func() { g.Wait("a"); close(waited) }()
	select {
	case <-waited:
		t.Fatal("Wait returned before the lane's earlier item finished")
	case <-time.After(50 * time.Millisecond):
	}
	close(gate)
	<-waited
	if !first.Load() {
		t.Fatal("Wait returned but the item had not run")
	}
	g.Wait("never-used") // must not block
}

func TestCancelUnblocksProducerAndSkipsQueued(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := New(ctx, 1)
	gate := make(chan struct{})
	var ran atomic.Int32
	started := make(chan struct{})
	g.Go("a", func(context.Context) { close(started); <-gate; ran.Add(1) })
	<-started
	g.Go("a", func(context.Context) { ran.Add(1) }) // fills the lane (depth 1) once the first runs
	blocked := make(chan struct{})
	go func() { g.Go("a", func(context.Context) { ran.Add(1) }); close(blocked) }()
	select {
	case <-blocked:
		t.Fatal("Go did not block on a full lane")
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	select {
	case <-blocked:
	case <-time.After(5 * time.Second):
		t.Fatal("Go stayed blocked after cancellation")
	}
	close(gate)
	g.WaitAll()
	if n := ran.Load(); n != 1 {
		t.Fatalf("items run: %d, want 1 (the running one; the queued ones are skipped)", n)
	}
}
