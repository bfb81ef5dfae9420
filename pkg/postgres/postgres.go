package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	_ "github.com/lib/pq" // the driver bridges use for PostgreSQL
)

//go:embed ensure.sh
var ensureScript string

// DefaultURL reaches the local server as its superuser. With the trust authentication of a
// ready-made server the password is ignored; a server that ensure.sh set up has this password.
const DefaultURL = "postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminURL is the URL used to create and drop databases: MXB_POSTGRES_URL, else DefaultURL.
func AdminURL() string {
	if u := os.Getenv("MXB_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Ensure makes sure the server answers, running ensure.sh (which may install PostgreSQL) if not.
func Ensure(ctx context.Context) error {
	if ping(ctx) == nil {
		return nil
	}
	cmd := exec.CommandContext(ctx, "bash", "-c", ensureScript)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ensure postgres server: %w", err)
	}
	return ping(ctx)
}

func ping(ctx context.Context) error {
	db, err := sql.Open("postgres", AdminURL())
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err = db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping postgres: %w", err)
	}
	return nil
}

// Database is a database created for one test run.
type Database struct {
	Name string
	// URL connects to this database with the admin credentials.
	URL string
}

// Create makes a new, empty database whose name starts with prefix.
func Create(ctx context.Context, prefix string) (*Database, error) {
	if err := Ensure(ctx); err != nil {
		return nil, err
	}
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		return nil, fmt.Errorf("generate database name: %w", err)
	}
	name := "mxb_" + sanitize(prefix) + "_" + hex.EncodeToString(suffix)
	admin, err := sql.Open("postgres", AdminURL())
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	defer admin.Close()
	if _, err = admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(AdminURL())
	if err != nil {
		return nil, fmt.Errorf("parse postgres URL: %w", err)
	}
	u.Path = "/" + name
	return &Database{Name: name, URL: u.String()}, nil
}

// Drop deletes the database, disconnecting anything still connected to it.
func (d *Database) Drop(ctx context.Context) error {
	admin, err := sql.Open("postgres", AdminURL())
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	defer admin.Close()
	if _, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+d.Name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", d.Name, err)
	}
	return nil
}

// sanitize keeps a prefix usable as part of an unquoted identifier.
func sanitize(prefix string) string {
	prefix = strings.ToLower(prefix)
	out := strings.Map(func(r rune) rune {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, prefix)
	if len(out) > 30 {
		out = out[:30]
	}
	return out
}
