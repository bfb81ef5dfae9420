package connector

import "testing"

// TestPtsWatermark plays what gotd's updates manager and the lanes do, in the order they do it
// (the handler holds an update before the manager stores its pts), and checks after each step
// what the bridge may store for the step's sequence.
func TestPtsWatermark(t *testing.T) {
	const common, ch1, ch2 = 0, 101, 202
	type step struct {
		op         string // "want", "hold" (name = the hold), "release" (name)
		seq        int64
		pts, count int
		name       string
		want       int // storable afterwards; -1: nothing may be stored
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"in order", []step{
			{op: "want", seq: common, pts: 10, want: 10},
			{op: "hold", seq: common, pts: 11, count: 1, name: "a", want: 10},
			{op: "want", seq: common, pts: 11, want: 10},
			{op: "release", name: "a", seq: common, want: 11},
		}},
		{"out-of-order completion", []step{
			{op: "want", seq: common, pts: 10, want: 10},
			{op: "hold", seq: common, pts: 11, count: 1, name: "a", want: 10},
			{op: "want", seq: common, pts: 11, want: 10},
			{op: "hold", seq: common, pts: 13, count: 2, name: "b", want: 10},
			{op: "want", seq: common, pts: 13, want: 10},
			{op: "hold", seq: common, pts: 14, count: 1, name: "c", want: 10},
			{op: "want", seq: common, pts: 14, want: 10},
			{op: "release", name: "c", seq: common, want: 10},
			{op: "release", name: "a", seq: common, want: 11},
			{op: "release", name: "b", seq: common, want: 14},
		}},
		{"several sequences are independent", []step{
			{op: "want", seq: common, pts: 50, want: 50},
			{op: "want", seq: ch1, pts: 7, want: 7},
			{op: "hold", seq: ch1, pts: 8, count: 1, name: "c1", want: 7},
			{op: "want", seq: ch1, pts: 8, want: 7},
			{op: "hold", seq: common, pts: 51, count: 1, name: "p", want: 50},
			{op: "want", seq: common, pts: 51, want: 50},
			{op: "hold", seq: ch2, pts: 3, count: 1, name: "c2", want: -1}, // first update of a channel never stored
			{op: "want", seq: ch2, pts: 3, want: 2},
			{op: "release", name: "p", seq: common, want: 51},
			{op: "release", name: "c2", seq: ch2, want: 3},
			{op: "release", name: "c1", seq: ch1, want: 8},
		}},
		{"SetState with an older value", []step{
			{op: "want", seq: common, pts: 30, want: 30},
			{op: "hold", seq: common, pts: 31, count: 1, name: "a", want: 30},
			{op: "want", seq: common, pts: 31, want: 30},
			{op: "want", seq: common, pts: 20, want: 20}, // the manager starts over lower
			{op: "release", name: "a", seq: common, want: 20},
			{op: "want", seq: common, pts: 25, want: 25},
		}},
		{"a batch from getDifference", []step{
			{op: "want", seq: common, pts: 40, want: 40},
			// updates.difference: new messages without pts, then SetState with the new state
			{op: "hold", seq: common, pts: -1, count: -1, name: "m1", want: 40},
			{op: "hold", seq: common, pts: -1, count: -1, name: "m2", want: 40},
			{op: "hold", seq: common, pts: -1, count: -1, name: "m3", want: 40},
			{op: "want", seq: common, pts: 43, want: 40},
			{op: "release", name: "m3", seq: common, want: 40},
			{op: "release", name: "m1", seq: common, want: 40},
			// the next live update, after the difference, holds at its own pts
			{op: "hold", seq: common, pts: 44, count: 1, name: "live", want: 40},
			{op: "want", seq: common, pts: 44, want: 40},
			{op: "release", name: "m2", seq: common, want: 43},
			{op: "release", name: "live", seq: common, want: 44},
		}},
		{"a difference slice then the rest", []step{
			{op: "want", seq: common, pts: 100, want: 100},
			{op: "hold", seq: common, pts: -1, count: -1, name: "s1", want: 100},
			{op: "want", seq: common, pts: 200, want: 100}, // intermediate state
			{op: "hold", seq: common, pts: -1, count: -1, name: "s2", want: 100},
			{op: "want", seq: common, pts: 250, want: 100},
			{op: "release", name: "s1", seq: common, want: 200},
			{op: "release", name: "s2", seq: common, want: 250},
		}},
		{"nothing known", []step{
			{op: "hold", seq: ch1, pts: -1, count: -1, name: "x", want: -1},
			{op: "want", seq: ch1, pts: 9, want: -1},
			{op: "release", name: "x", seq: ch1, want: 9},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newPtsWatermark()
			holds := map[string]ptsHold{}
			for i, s := range tt.steps {
				var got int
				var ok bool
				switch s.op {
				case "want":
					got, ok = w.want(s.seq, s.pts)
				case "hold":
					holds[s.name] = w.hold(s.seq, s.pts, s.count)
					got, ok = w.storable(s.seq)
				case "release":
					h, found := holds[s.name]
					if !found {
						t.Fatalf("step %d: no hold %q", i, s.name)
					}
					got, ok = w.release(h)
				}
				if !ok {
					got = -1
				}
				if got != s.want {
					t.Fatalf("step %d (%s %s seq %d pts %d): storable %d, want %d", i, s.op, s.name, s.seq, s.pts, got, s.want)
				}
			}
			if n := w.held(); n != 0 {
				t.Errorf("holds left: %d", n)
			}
		})
	}
}
