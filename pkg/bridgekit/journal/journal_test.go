package journal

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"go.mau.fi/util/dbutil"
)

func openSQLite(t *testing.T, path string) *dbutil.Database {
	t.Helper()
	db, err := dbutil.NewWithDialect("file:"+path+"?_txlock=immediate&_busy_timeout=5000", "sqlite3")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func newJournal(t *testing.T, db *dbutil.Database, bridgeID string) *Journal {
	t.Helper()
	j := New(db, bridgeID, nil)
	if err := j.Upgrade(context.Background()); err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJournalSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bridge.db")
	testJournal(t, func(t *testing.T) *dbutil.Database { return openSQLite(t, path) })
}

// testJournal runs the contract checks on a database that open reopens (a restart).
func testJournal(t *testing.T, open func(t *testing.T) *dbutil.Database) {
	ctx := context.Background()
	db := open(t)
	j := newJournal(t, db, "wa")
	other := newJournal(t, db, "tg") // another bridge in the same database

	var seqs []int64
	for i := 0; i < 5; i++ {
		seq, err := j.Put(ctx, "alice", fmt.Sprint("chat", i%2), []byte{byte(i), 0, 0xff})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	if _, err := j.Put(ctx, "bob", "chat0", []byte("b")); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Put(ctx, "alice", "chat0", []byte("other bridge")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("sequence not increasing: %v", seqs)
		}
	}
	if err := j.Done(ctx, "alice", seqs[1]); err != nil {
		t.Fatal(err)
	}
	if err := j.Done(ctx, "alice", seqs[1]); err != nil {
		t.Fatalf("second Done: %v", err)
	}

	// A restart: a new Journal on a reopened database sees what was put and continues the
	// sequence after it.
	j2 := newJournal(t, open(t), "wa")
	got, err := j2.Pending(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 2, 3, 4}
	if len(got) != len(want) {
		t.Fatalf("pending: %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, e := range got {
		n := want[i]
		if e.Seq != seqs[n] || e.Lane != fmt.Sprint("chat", n%2) || !bytes.Equal(e.Payload, []byte{byte(n), 0, 0xff}) || e.Login != "alice" {
			t.Fatalf("entry %d: %+v, want seq %d of put %d", i, e, seqs[n], n)
		}
	}
	next, err := j2.Put(ctx, "alice", "chat0", []byte("after restart"))
	if err != nil {
		t.Fatal(err)
	}
	if next <= seqs[len(seqs)-1] {
		t.Fatalf("sequence after restart %d, not after %d", next, seqs[len(seqs)-1])
	}
	if bob, err := j2.Pending(ctx, "bob"); err != nil || len(bob) != 1 || string(bob[0].Payload) != "b" {
		t.Fatalf("bob's entries: %+v, %v", bob, err)
	}
	if none, err := j2.Pending(ctx, "carol"); err != nil || len(none) != 0 {
		t.Fatalf("carol's entries: %+v, %v", none, err)
	}
	if tg, err := other.Pending(ctx, "alice"); err != nil || len(tg) != 1 || string(tg[0].Payload) != "other bridge" {
		t.Fatalf("other bridge's entries: %+v, %v", tg, err)
	}
}

func TestRemoverBatches(t *testing.T) {
	ctx := context.Background()
	j := newJournal(t, openSQLite(t, filepath.Join(t.TempDir(), "bridge.db")), "wa")
	var seqs []int64
	for i := 0; i < removeBatch+20; i++ {
		seq, err := j.Put(ctx, "alice", "chat", []byte{1})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	r := j.NewRemover(time.Hour) // only a full batch or Close writes
	for _, seq := range seqs[:removeBatch] {
		r.Done("alice", seq)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		left, err := j.Pending(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a full batch was not removed: %d entries left, want 20", len(left))
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.Done("alice", seqs[removeBatch])
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	left, err := j.Pending(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 19 || left[0].Seq != seqs[removeBatch+1] {
		t.Fatalf("after Close: %d entries left (first %+v), want 19 from seq %d", len(left), left[0], seqs[removeBatch+1])
	}
}
