package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"go.mau.fi/util/dbutil"
)

// VersionTable is the name of the journal's schema version table.
const VersionTable = "mxbridges_journal_version"

// upgrades creates the journal table. bridge_id keeps bridges that share a database apart,
// like bridgev2's own tables.
var upgrades = dbutil.BuildUpgradeTable().
	WithRaw(0, 1, 0, "Create inbound journal", dbutil.TxnModeOn, func(ctx context.Context, db *dbutil.Database) error {
		payload := "BLOB"
		if db.Dialect == dbutil.Postgres {
			payload = "BYTEA"
		}
		_, err := db.Exec(ctx, `CREATE TABLE mxbridges_journal (
			bridge_id TEXT   NOT NULL,
			login_id  TEXT   NOT NULL,
			seq       BIGINT NOT NULL,
			lane      TEXT   NOT NULL,
			payload   `+payload+` NOT NULL,
			PRIMARY KEY (bridge_id, login_id, seq)
		)`)
		if err != nil {
			return fmt.Errorf("create journal table: %w", err)
		}
		return nil
	}).
	Finish()

// Entry is one journalled event.
type Entry struct {
	Login string
	// Seq orders a login's entries: a later Put has a larger Seq.
	Seq int64
	// Lane is the key of the lane the event is handled on (a chat).
	Lane    string
	Payload []byte
}

// Journal is the inbound journal of one bridge. It is safe for concurrent use.
//
// Contract: once Put returned without error, the entry is committed to the database and stays
// there until Done removes it, across restarts; Pending returns a login's entries in the order
// they were put. Entries are per login: Put calls of one login get increasing sequence numbers
// even across restarts, as long as one process at a time writes a login's entries.
type Journal struct {
	db       *dbutil.Database
	bridgeID string

	mu   sync.Mutex
	next map[string]int64 // next sequence number per login, loaded on first Put
}

// New returns the journal of bridge bridgeID in db's database, with its own version table.
// Call Upgrade before using it.
func New(db *dbutil.Database, bridgeID string, log dbutil.DatabaseLogger) *Journal {
	return &Journal{
		db:       db.Child(VersionTable, upgrades, log),
		bridgeID: bridgeID,
		next:     map[string]int64{},
	}
}

// Upgrade creates or upgrades the journal table.
func (j *Journal) Upgrade(ctx context.Context) error {
	if err := j.db.Upgrade(ctx); err != nil {
		return fmt.Errorf("upgrade journal: %w", err)
	}
	return nil
}

// Put stores an event of login for lane and returns its sequence number once it is committed.
func (j *Journal) Put(ctx context.Context, login, lane string, payload []byte) (int64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	seq, ok := j.next[login]
	if !ok {
		var last sql.NullInt64
		err := j.db.QueryRow(ctx, "SELECT MAX(seq) FROM mxbridges_journal WHERE bridge_id=$1 AND login_id=$2",
			j.bridgeID, login).Scan(&last)
		if err != nil {
			return 0, fmt.Errorf("read last journal sequence: %w", err)
		}
		seq = last.Int64 + 1
	}
	_, err := j.db.Exec(ctx, "INSERT INTO mxbridges_journal (bridge_id, login_id, seq, lane, payload) VALUES ($1, $2, $3, $4, $5)",
		j.bridgeID, login, seq, lane, payload)
	if err != nil {
		// The sequence number is not taken: a failed insert left nothing behind, and the
		// next Put reads the last one again in case another writer moved it.
		delete(j.next, login)
		return 0, fmt.Errorf("insert journal entry: %w", err)
	}
	j.next[login] = seq + 1
	return seq, nil
}

// Done removes an entry; removing one that is not there is not an error.
func (j *Journal) Done(ctx context.Context, login string, seq int64) error {
	_, err := j.db.Exec(ctx, "DELETE FROM mxbridges_journal WHERE bridge_id=$1 AND login_id=$2 AND seq=$3",
		j.bridgeID, login, seq)
	if err != nil {
		return fmt.Errorf("delete journal entry: %w", err)
	}
	return nil
}

// Pending returns login's entries in the order they were put.
func (j *Journal) Pending(ctx context.Context, login string) ([]Entry, error) {
	rows, err := j.db.Query(ctx, "SELECT seq, lane, payload FROM mxbridges_journal WHERE bridge_id=$1 AND login_id=$2 ORDER BY seq",
		j.bridgeID, login)
	if err != nil {
		return nil, fmt.Errorf("query journal: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e := Entry{Login: login}
		if err = rows.Scan(&e.Seq, &e.Lane, &e.Payload); err != nil {
			return nil, fmt.Errorf("scan journal entry: %w", err)
		}
		out = append(out, e)
	}
	if err = rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	return out, nil
}
