package loadtest

import (
	"context"
	"testing"
	"time"
)

type fakeLink struct{ dropped, restored int }

func (l *fakeLink) Drop(context.Context) error    { l.dropped++; return nil }
func (l *fakeLink) Restore(context.Context) error { l.restored++; return nil }

func TestChaosDrop(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    time.Duration
		wantErr bool
	}{
		{"", 3 * time.Second, false},
		{"20s", 20 * time.Second, false},
		{"-1s", 0, true},
		{"soon", 0, true},
	} {
		t.Setenv(EnvChaosDrop, tc.env)
		got, err := ChaosDrop()
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%s=%q: got %v, %v; want %v, error %v", EnvChaosDrop, tc.env, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestNetworkDropCallsTheLink(t *testing.T) {
	l := &fakeLink{}
	f := NetworkDrop(l, time.Second)
	if f.Lasts != time.Second || f.Name == "" {
		t.Fatalf("fault %+v: want Lasts 1s and a name", f)
	}
	if err := f.Break(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := f.Heal(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.dropped != 1 || l.restored != 1 {
		t.Errorf("dropped %d restored %d times, want once each", l.dropped, l.restored)
	}
}
