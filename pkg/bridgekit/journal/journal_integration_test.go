//go:build integration

package journal

import (
	"context"
	"testing"

	_ "github.com/lib/pq"
	"go.mau.fi/util/dbutil"

	"github.com/mxbridges/mxbridges/pkg/postgres"
)

func TestJournalPostgres(t *testing.T) {
	ctx := context.Background()
	pg, err := postgres.Create(ctx, "journal")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Drop(context.Background()) })
	testJournal(t, func(t *testing.T) *dbutil.Database {
		db, err := dbutil.NewWithDialect(pg.URL, "postgres")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	})
}
