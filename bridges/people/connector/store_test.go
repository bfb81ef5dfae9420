package connector

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"go.mau.fi/util/dbutil"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	db, err := dbutil.NewWithDialect("file:"+filepath.Join(t.TempDir(), "hub.db")+"?_txlock=immediate&_busy_timeout=5000", "sqlite3")
	if err != nil {
		t.Fatalf("open db: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s := NewStore(db, "hub", dbutil.NoopLogger)
	if err = s.Upgrade(context.Background()); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	return s
}

func TestStoreRoundTrip(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	bob := directory.Contact{ID: "1", Name: "Bob", Phone: "+15550001", Username: "bob", MXID: "@tg_1:hs"}
	err := s.Update(ctx, "@alice:hs", func(d *directory.Directory) error {
		d.Sync("tg", []directory.Contact{bob, {ID: "2", Name: "Carol"}}, true)
		d.Sync("wa", []directory.Contact{{ID: "15550001", Name: "Bobby", Phone: "+15550001"}}, true)
		d.People[0].Preferred = "wa"
		return d.Rename(d.People[1], "Caroline")
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	// Another user's people are apart.
	if err = s.Update(ctx, "@mallory:hs", func(d *directory.Directory) error {
		d.Sync("tg", []directory.Contact{{ID: "9", Name: "Eve"}}, true)
		return nil
	}); err != nil {
		t.Fatalf("update of another user: %v", err)
	}
	d, err := s.Load(ctx, "@alice:hs")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if d.LastID != 2 {
		t.Errorf("last person ID = %d, want 2", d.LastID)
	}
	want := []*directory.Person{
		{ID: 1, Name: "Bob", Preferred: "wa", Contacts: []directory.Contact{
			{Network: "tg", ID: "1", Name: "Bob", Phone: "+15550001", Username: "bob", MXID: "@tg_1:hs"},
			{Network: "wa", ID: "15550001", Name: "Bobby", Phone: "+15550001"},
		}},
		{ID: 2, Name: "Caroline", Renamed: true, Contacts: []directory.Contact{{Network: "tg", ID: "2", Name: "Carol"}}},
	}
	if !reflect.DeepEqual(d.People, want) {
		t.Fatalf("loaded %+v\nwant %+v", d.People, want)
	}
	// A failed change saves nothing.
	boom := errors.New("boom")
	if err = s.Update(ctx, "@alice:hs", func(d *directory.Directory) error { d.Forget(d.People[0]); return boom }); !errors.Is(err, boom) {
		t.Fatalf("update = %v, want boom", err)
	}
	if p, c, err := s.Counts(ctx, "@alice:hs"); err != nil || p != 2 || c != 3 {
		t.Fatalf("counts = %d people, %d contacts, %v; want 2, 3", p, c, err)
	}
	if err = s.Update(ctx, "@alice:hs", func(d *directory.Directory) error { d.Forget(d.People[0]); return nil }); err != nil {
		t.Fatalf("forget: %v", err)
	}
	if p, c, err := s.Counts(ctx, "@alice:hs"); err != nil || p != 1 || c != 1 {
		t.Fatalf("counts after forget = %d people, %d contacts, %v; want 1, 1", p, c, err)
	}
	if p, c, err := s.Counts(ctx, "@mallory:hs"); err != nil || p != 1 || c != 1 {
		t.Fatalf("the other user's counts = %d, %d, %v; want 1, 1", p, c, err)
	}
	if owners, err := s.Owners(ctx); err != nil || len(owners) != 2 || owners[0] != "@alice:hs" || owners[1] != "@mallory:hs" {
		t.Fatalf("owners = %v, %v; want alice and mallory", owners, err)
	}
}
