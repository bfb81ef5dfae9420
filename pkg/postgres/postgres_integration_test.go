//go:build integration

package postgres

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

func TestCreateUseDrop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := Create(ctx, "selftest")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("postgres", db.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = conn.ExecContext(ctx, "CREATE TABLE t (v text); INSERT INTO t VALUES ('x')"); err != nil {
		t.Fatalf("use fresh database: %v", err)
	}
	var current string
	if err = conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&current); err != nil || current != db.Name {
		t.Fatalf("connected to %q (err %v), want %q", current, err, db.Name)
	}
	// Drop must succeed even with a connection still open.
	if err = db.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	admin, _ := sql.Open("postgres", AdminURL())
	defer admin.Close()
	var n int
	if err = admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", db.Name).Scan(&n); err != nil || n != 0 {
		t.Fatalf("database %s still exists after Drop (count %d, err %v)", db.Name, n, err)
	}
}
