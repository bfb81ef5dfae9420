package ack

import (
	"testing"
	"time"
)

func TestTxnNumber(t *testing.T) {
	for _, tc := range []struct {
		path string
		want uint64
		ok   bool
	}{
		{transactionPath + "42", 42, true},
		{transactionPath + "0", 0, true},
		{transactionPath + "mautrix-go_1796408977346176245_1", 0, false},
		{transactionPath + "-3", 0, false},
		{transactionPath, 0, false},
	} {
		got, ok := txnNumber(tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("txnNumber(%q) = %d, %v; want %d, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTxnSequenceGaps(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 19, 9, 35, 0, time.UTC)
	type step struct {
		txn     uint64
		skipped uint64 // 0: no gap expected
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"the first transaction after a start shows no gap", []step{{5377, 0}}},
		{"one after the other", []step{{1, 0}, {2, 0}, {3, 0}}},
		{"a retry of the same transaction", []step{{7, 0}, {7, 0}, {8, 0}}},
		{"a retry of an older one does not move the sequence back", []step{{9, 0}, {8, 0}, {10, 0}}},
		{"one skipped", []step{{5438, 0}, {5439, 0}, {5441, 1}, {5442, 0}}},
		{"several skipped", []step{{1, 0}, {5, 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s txnSequence
			for i, st := range tc.steps {
				at := t0.Add(time.Duration(i) * time.Second)
				since, skipped, gap := s.gap(st.txn)
				if gap != (st.skipped > 0) || skipped != st.skipped {
					t.Fatalf("step %d (transaction %d): gap %v skipped %d; want skipped %d", i, st.txn, gap, skipped, st.skipped)
				}
				if gap && !since.Equal(t0.Add(time.Duration(i-1)*time.Second)) {
					t.Errorf("step %d: since %v, want the time the previous transaction was handled", i, since)
				}
				s.handled(st.txn, at)
			}
		})
	}
}
