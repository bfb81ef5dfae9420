package connector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
)

// VersionTable is the name of the schema version table of the hub's own tables.
const VersionTable = "mxbridges_people_version"

// upgrades creates the hub's tables. bridge_id keeps hubs that share a database apart, like
// bridgev2's own tables; owner is the Matrix user whose people they are.
var upgrades = dbutil.BuildUpgradeTable().
	WithRaw(0, 1, 0, "Create people tables", dbutil.TxnModeOn, func(ctx context.Context, db *dbutil.Database) error {
		for _, q := range []string{
			`CREATE TABLE mxbridges_people_owner (
				bridge_id TEXT   NOT NULL,
				owner     TEXT   NOT NULL,
				last_id   BIGINT NOT NULL,
				PRIMARY KEY (bridge_id, owner)
			)`,
			`CREATE TABLE mxbridges_people_person (
				bridge_id TEXT    NOT NULL,
				owner     TEXT    NOT NULL,
				person_id BIGINT  NOT NULL,
				name      TEXT    NOT NULL,
				renamed   BOOLEAN NOT NULL,
				preferred TEXT    NOT NULL,
				PRIMARY KEY (bridge_id, owner, person_id)
			)`,
			`CREATE TABLE mxbridges_people_contact (
				bridge_id     TEXT   NOT NULL,
				owner         TEXT   NOT NULL,
				network       TEXT   NOT NULL,
				remote_id     TEXT   NOT NULL,
				person_id     BIGINT NOT NULL,
				position      INTEGER NOT NULL,
				name          TEXT   NOT NULL,
				phone         TEXT   NOT NULL,
				username      TEXT   NOT NULL,
				mxid          TEXT   NOT NULL,
				detached_from BIGINT NOT NULL,
				PRIMARY KEY (bridge_id, owner, network, remote_id),
				FOREIGN KEY (bridge_id, owner, person_id) REFERENCES mxbridges_people_person (bridge_id, owner, person_id)
					ON DELETE CASCADE
			)`,
			`CREATE INDEX mxbridges_people_contact_phone ON mxbridges_people_contact (bridge_id, owner, phone)`,
		} {
			if _, err := db.Exec(ctx, q); err != nil {
				return fmt.Errorf("create people tables: %w", err)
			}
		}
		return nil
	}).
	Finish()

// Store keeps each Matrix user's directory in the bridge database.
//
// Contract: Update runs one user's load-change-save under a lock of the store, so two commands
// of a user never lose each other's changes; what Update saved is committed in one transaction.
type Store struct {
	db       *dbutil.Database
	bridgeID string
	mu       sync.Mutex
}

// NewStore returns the store of hub bridgeID in db's database, with its own version table.
// Call Upgrade before using it.
func NewStore(db *dbutil.Database, bridgeID string, log dbutil.DatabaseLogger) *Store {
	return &Store{db: db.Child(VersionTable, upgrades, log), bridgeID: bridgeID}
}

// Upgrade creates or upgrades the hub's tables.
func (s *Store) Upgrade(ctx context.Context) error {
	if err := s.db.Upgrade(ctx); err != nil {
		return fmt.Errorf("upgrade people tables: %w", err)
	}
	return nil
}

// Load returns owner's directory.
func (s *Store) Load(ctx context.Context, owner id.UserID) (*directory.Directory, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(ctx, owner)
}

// Update loads owner's directory, lets change modify it and saves the result, unless change
// returns an error, which Update returns.
func (s *Store) Update(ctx context.Context, owner id.UserID, change func(*directory.Directory) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.load(ctx, owner)
	if err != nil {
		return err
	}
	if err = change(d); err != nil {
		return err
	}
	return s.save(ctx, owner, d)
}

func (s *Store) load(ctx context.Context, owner id.UserID) (*directory.Directory, error) {
	d := &directory.Directory{}
	err := s.db.QueryRow(ctx, "SELECT last_id FROM mxbridges_people_owner WHERE bridge_id=$1 AND owner=$2",
		s.bridgeID, owner).Scan(&d.LastID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load last person ID: %w", err)
	}
	byID := map[int64]*directory.Person{}
	rows, err := s.db.Query(ctx, `SELECT person_id, name, renamed, preferred FROM mxbridges_people_person
		WHERE bridge_id=$1 AND owner=$2 ORDER BY person_id`, s.bridgeID, owner)
	if err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	for rows.Next() {
		p := &directory.Person{}
		if err = rows.Scan(&p.ID, &p.Name, &p.Renamed, &p.Preferred); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("read person: %w", err)
		}
		d.People = append(d.People, p)
		byID[p.ID] = p
	}
	if err = rows.Close(); err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	rows, err = s.db.Query(ctx, `SELECT person_id, network, remote_id, name, phone, username, mxid, detached_from
		FROM mxbridges_people_contact WHERE bridge_id=$1 AND owner=$2 ORDER BY person_id, position`, s.bridgeID, owner)
	if err != nil {
		return nil, fmt.Errorf("load contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var c directory.Contact
		if err = rows.Scan(&pid, &c.Network, &c.ID, &c.Name, &c.Phone, &c.Username, &c.MXID, &c.DetachedFrom); err != nil {
			return nil, fmt.Errorf("read contact: %w", err)
		}
		if p := byID[pid]; p != nil {
			p.Contacts = append(p.Contacts, c)
		}
	}
	if err = rows.Err(); err != nil {
		return nil, fmt.Errorf("load contacts: %w", err)
	}
	return d, nil
}

// save replaces owner's rows with d, in one transaction.
func (s *Store) save(ctx context.Context, owner id.UserID, d *directory.Directory) error {
	return s.db.DoTxn(ctx, nil, func(ctx context.Context) error {
		if _, err := s.db.Exec(ctx, "DELETE FROM mxbridges_people_contact WHERE bridge_id=$1 AND owner=$2", s.bridgeID, owner); err != nil {
			return fmt.Errorf("delete contacts: %w", err)
		}
		if _, err := s.db.Exec(ctx, "DELETE FROM mxbridges_people_person WHERE bridge_id=$1 AND owner=$2", s.bridgeID, owner); err != nil {
			return fmt.Errorf("delete people: %w", err)
		}
		if _, err := s.db.Exec(ctx, `INSERT INTO mxbridges_people_owner (bridge_id, owner, last_id) VALUES ($1, $2, $3)
			ON CONFLICT (bridge_id, owner) DO UPDATE SET last_id=excluded.last_id`, s.bridgeID, owner, d.LastID); err != nil {
			return fmt.Errorf("store last person ID: %w", err)
		}
		for _, p := range d.People {
			if _, err := s.db.Exec(ctx, `INSERT INTO mxbridges_people_person (bridge_id, owner, person_id, name, renamed, preferred)
				VALUES ($1, $2, $3, $4, $5, $6)`, s.bridgeID, owner, p.ID, p.Name, p.Renamed, p.Preferred); err != nil {
				return fmt.Errorf("insert person: %w", err)
			}
			for i, c := range p.Contacts {
				if _, err := s.db.Exec(ctx, `INSERT INTO mxbridges_people_contact (bridge_id, owner, network, remote_id, person_id,
					position, name, phone, username, mxid, detached_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
					s.bridgeID, owner, c.Network, c.ID, p.ID, i, c.Name, c.Phone, c.Username, c.MXID, c.DetachedFrom); err != nil {
					return fmt.Errorf("insert contact: %w", err)
				}
			}
		}
		return nil
	})
}

// Counts returns how many people and contacts the store holds for owner (for `forget`'s
// answer and for tests).
func (s *Store) Counts(ctx context.Context, owner id.UserID) (people, contacts int, err error) {
	if err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM mxbridges_people_person WHERE bridge_id=$1 AND owner=$2",
		s.bridgeID, owner).Scan(&people); err != nil {
		return 0, 0, fmt.Errorf("count people: %w", err)
	}
	if err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM mxbridges_people_contact WHERE bridge_id=$1 AND owner=$2",
		s.bridgeID, owner).Scan(&contacts); err != nil {
		return 0, 0, fmt.Errorf("count contacts: %w", err)
	}
	return people, contacts, nil
}

// Owners lists the Matrix users the store holds a directory for (everyone who synced once).
func (s *Store) Owners(ctx context.Context) ([]id.UserID, error) {
	rows, err := s.db.Query(ctx, "SELECT owner FROM mxbridges_people_owner WHERE bridge_id=$1 ORDER BY owner", s.bridgeID)
	if err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	defer rows.Close()
	var out []id.UserID
	for rows.Next() {
		var owner id.UserID
		if err = rows.Scan(&owner); err != nil {
			return nil, fmt.Errorf("read owner: %w", err)
		}
		out = append(out, owner)
	}
	if err = rows.Err(); err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	return out, nil
}
