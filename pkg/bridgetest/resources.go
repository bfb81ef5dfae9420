package bridgetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/loopback"
	"github.com/mxbridges/mxbridges/pkg/postgres"
)

// resources are what every bridge under test gets, in-process or binary: a listener port, a
// fresh database and the config parameters that point it at the stack's Synapse.
type resources struct {
	params bridgeconf.Params
	dbKind string
	pg     *postgres.Database
}

func newResources(ctx context.Context, dir, hsURL, serverName string, opts BridgeOptions) (*resources, error) {
	r := &resources{dbKind: opts.DB}
	if r.dbKind == "" {
		r.dbKind = os.Getenv("MXB_TEST_DB")
	}
	if r.dbKind == "" {
		r.dbKind = Postgres
	}
	r.params = bridgeconf.Params{
		HomeserverURL:    hsURL,
		ServerName:       serverName,
		ID:               opts.Name,
		BotUsername:      opts.Name + "bot",
		UsernameTemplate: opts.Name + "_{{.}}",
		Permissions: map[string]string{
			"*":                    "relay",
			serverName:             "user",
			"@admin:" + serverName: "admin",
		},
		Extra: opts.Extra,
	}
	for k, v := range opts.Permissions {
		if v == "" {
			delete(r.params.Permissions, k)
		} else {
			r.params.Permissions[k] = v
		}
	}
	var err error
	if r.params.ListenPort, err = loopback.FreePort(); err != nil {
		return nil, fmt.Errorf("pick appservice port for %s: %w", opts.Name, err)
	}
	switch r.dbKind {
	case Postgres:
		if r.pg, err = postgres.Create(ctx, opts.Name); err != nil {
			return nil, err
		}
		r.params.DatabaseType, r.params.DatabaseURI = "postgres", r.pg.URL
	case SQLite:
		r.params.DatabaseType = "sqlite3-fk-wal"
		r.params.DatabaseURI = "file:" + filepath.Join(dir, opts.Name+".db") + "?_txlock=immediate"
	default:
		return nil, fmt.Errorf("bridge %s: unknown database kind %q (want %s or %s)", opts.Name, r.dbKind, Postgres, SQLite)
	}
	return r, nil
}
