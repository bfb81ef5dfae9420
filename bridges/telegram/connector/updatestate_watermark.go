package connector

// ptsWatermark decides which pts the bridge may store while updates are still being bridged on
// their chats' lanes. Each sequence (0: the account's common pts; a channel ID: that channel's
// pts) has the value gotd's updates manager wants stored and the updates held back: an
// unfinished update with pts P and pts_count C allows at most P−C, so that a restart fetches it
// again (updates.getDifference starts after the stored pts). An update from a difference comes
// without its pts (gotd gives -1): it holds the value wanted when it was handed over, which is
// the pts the difference started from.
//
// The type is not safe for concurrent use: dbUpdateState calls it under the login's metadata
// lock.
type ptsWatermark struct {
	seqs map[int64]*ptsSequence
	next uint64
}

// ptsSequence is one pts sequence: what is wanted and what holds it back.
type ptsSequence struct {
	wanted int
	known  bool // wanted was set: from storage or by the manager
	// holds are the unfinished updates by hold ID: the most each allows to be stored, or
	// noFloor when the sequence had no value yet.
	holds map[uint64]int
}

// noFloor marks a hold taken while its sequence had no value: nothing may be stored then.
const noFloor = -1

// ptsHold names one held update for release.
type ptsHold struct {
	seq int64
	id  uint64
}

func newPtsWatermark() *ptsWatermark { return &ptsWatermark{seqs: map[int64]*ptsSequence{}} }

func (w *ptsWatermark) sequence(seq int64) *ptsSequence {
	s := w.seqs[seq]
	if s == nil {
		s = &ptsSequence{holds: map[uint64]int{}}
		w.seqs[seq] = s
	}
	return s
}

// want records the value the manager wants stored for seq (also the value loaded from
// storage) and returns what may be stored now.
func (w *ptsWatermark) want(seq int64, pts int) (int, bool) {
	s := w.sequence(seq)
	s.wanted, s.known = pts, true
	return w.storable(seq)
}

// hold holds seq back for an update that is handed to a lane: pts and count are the update's
// (pts < 0: from a difference, holding the value wanted now).
func (w *ptsWatermark) hold(seq int64, pts, count int) ptsHold {
	s := w.sequence(seq)
	floor := pts - count
	if pts < 0 || count < 0 {
		floor = noFloor
		if s.known {
			floor = s.wanted
		}
	}
	w.next++
	s.holds[w.next] = floor
	return ptsHold{seq: seq, id: w.next}
}

// release finishes a held update and returns what may be stored now for its sequence.
func (w *ptsWatermark) release(h ptsHold) (int, bool) {
	if s := w.seqs[h.seq]; s != nil {
		delete(s.holds, h.id)
	}
	return w.storable(h.seq)
}

// storable is the highest value of seq that passes no unfinished update: the wanted value,
// or less while holds are below it. It is false when nothing may be stored.
func (w *ptsWatermark) storable(seq int64) (int, bool) {
	s := w.seqs[seq]
	if s == nil || !s.known {
		return 0, false
	}
	v := s.wanted
	for _, floor := range s.holds {
		if floor == noFloor {
			return 0, false
		}
		v = min(v, floor)
	}
	return v, true
}

// held is the number of unfinished updates over all sequences.
func (w *ptsWatermark) held() int {
	n := 0
	for _, s := range w.seqs {
		n += len(s.holds)
	}
	return n
}
