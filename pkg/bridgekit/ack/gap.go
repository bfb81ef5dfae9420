package ack

import (
	"strconv"
	"strings"
	"time"
)

// Synapse numbers an appservice's transactions 1, 2, 3, … and never skips one it delivered.
// It can skip one it never delivered: when its recoverer finishes re-sending a backlog (after
// the bridge was down) just as a new transaction is stored, that transaction is marked done
// by the next one and never sent (seen here: a bridge restarted under load lost one message
// of 10,000 that way). A jump in the numbers is therefore a lost transaction, and the
// catch-up reads the portals' timelines from shortly before the last transaction handled.

// txnSequence follows the numbers of the transactions handled since the bridge started.
// Homeservers whose transaction IDs are not numbers are not followed. Not safe for
// concurrent use: the acker calls it under its lock.
type txnSequence struct {
	last   uint64
	lastAt time.Time
	known  bool
}

// txnNumber is the number of a transaction path's ID, if it is one.
func txnNumber(path string) (uint64, bool) {
	n, err := strconv.ParseUint(strings.TrimPrefix(path, transactionPath), 10, 64)
	return n, err == nil
}

// gap reports whether transaction n comes after one or more transactions that never came,
// and since when the events they held may be missing (the time the last one was handled).
func (s *txnSequence) gap(n uint64) (since time.Time, skipped uint64, ok bool) {
	if !s.known || n <= s.last+1 {
		return time.Time{}, 0, false
	}
	return s.lastAt, n - s.last - 1, true
}

// handled notes that transaction n was handled at now. Retries of older transactions do
// not move the sequence back.
func (s *txnSequence) handled(n uint64, now time.Time) {
	if !s.known || n >= s.last {
		s.last, s.lastAt, s.known = n, now, true
	}
}
