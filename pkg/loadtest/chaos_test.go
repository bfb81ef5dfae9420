package loadtest

import (
	"testing"
)

func TestChaosBodiesSortPerChat(t *testing.T) {
	a, b := chaosBody("r", ToNetwork, 3, 9), chaosBody("r", ToNetwork, 3, 10)
	if !(a < b) {
		t.Errorf("%q sorts after %q: order checks would be wrong", a, b)
	}
	if in := chaosBody("r", ToMatrix, 0, 0); in != "chaos-r-in-c0-000000" {
		t.Errorf("body = %q", in)
	}
}

func TestCount(t *testing.T) {
	want := []string{
		chaosBody("r", ToNetwork, 0, 0), chaosBody("r", ToNetwork, 0, 1), chaosBody("r", ToNetwork, 1, 0),
		chaosBody("r", ToMatrix, 0, 0), chaosBody("r", ToMatrix, 0, 1),
	}
	tests := []struct {
		name     string
		net, mx  []string
		noMatrix bool
		want     Counts
	}{
		{
			name: "all once in order",
			net:  []string{want[0], want[2], want[1]},
			mx:   []string{want[3], want[4]},
			want: Counts{Sent: 5, Received: 5},
		},
		{
			name: "lost, duplicated and reordered",
			net:  []string{want[1], want[0], want[1], "chaos-other-out-c0-000000"},
			mx:   []string{want[4], want[4]},
			want: Counts{Sent: 5, Received: 3, Lost: 2, Duplicated: 2, OutOfOrder: 1},
		},
		{
			name:     "network side only",
			net:      []string{want[0], want[1], want[2]},
			noMatrix: true,
			want:     Counts{Sent: 5, Received: 3, Lost: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, mx := newTally(), newTally()
			for _, b := range tt.net {
				net.note(b)
			}
			for _, b := range tt.mx {
				mx.note(b)
			}
			if tt.noMatrix {
				mx = nil
			}
			if got := count2(want, "r", net, mx); got != tt.want {
				t.Errorf("counts = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCountsLine(t *testing.T) {
	c := Counts{Sent: 3, Received: 2, Lost: 1}.Add(Counts{Sent: 2, Received: 2, Duplicated: 1})
	if got, want := c.Line(), "chaos: sent=5 received=4 lost=1 duplicated=1"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}
