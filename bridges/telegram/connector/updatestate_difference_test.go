package connector

import (
	"testing"

	"github.com/gotd/td/tg"
)

// TestAtPts: a difference's updates of the common sequence all apply at the pts it started
// from (gotd then takes them in order); channel and pts-less updates keep what they had.
func TestAtPts(t *testing.T) {
	edit := &tg.UpdateEditMessage{Message: &tg.Message{ID: 1}, Pts: 7, PtsCount: 1}
	in := []tg.UpdateClass{
		edit,
		&tg.UpdateDeleteMessages{Messages: []int{1}, Pts: 9, PtsCount: 2},
		&tg.UpdateNewChannelMessage{Message: &tg.Message{ID: 2, PeerID: &tg.PeerChannel{ChannelID: 5}}, Pts: 4, PtsCount: 1},
		&tg.UpdateUserName{UserID: 3},
	}
	out := atPts(in, 5)
	tests := []struct {
		ptsUpdate  bool
		pts, count int
	}{{true, 5, 0}, {true, 5, 0}, {false, 0, 0}, {false, 0, 0}}
	for i, want := range tests {
		pts, count, ok := tg.IsPtsUpdate(out[i])
		if ok != want.ptsUpdate || pts != want.pts || count != want.count {
			t.Errorf("update %d: pts %d count %d (common %v), want %+v", i, pts, count, ok, want)
		}
	}
	if out[2] != in[2] || out[3] != in[3] {
		t.Error("atPts changed an update outside the common sequence")
	}
	if edit.Pts != 7 {
		t.Error("atPts changed the difference it was given")
	}
}
