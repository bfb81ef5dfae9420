package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"

	_ "github.com/mattn/go-sqlite3"
	"maunium.net/go/mautrix/bridgev2/matrix"
)

// loginRow is one line of status's table.
type loginRow struct {
	bridge, user, login, name, state, detail string
}

func runStatus(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) != 1 {
		fmt.Fprint(errOut, usage)
		return errors.New("status needs the folder that mxbridges init wrote")
	}
	setups, err := findSetups(args[0])
	if err != nil {
		return err
	}
	var rows []loginRow
	broken := 0
	for _, s := range setups {
		got, err := s.logins(ctx)
		if err != nil {
			broken++
			rows = append(rows, loginRow{bridge: s.name, state: "UNREACHABLE", detail: err.Error()})
			continue
		}
		if len(got) == 0 {
			rows = append(rows, loginRow{bridge: s.name, state: "-", detail: "no logins yet"})
		}
		rows = append(rows, got...)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BRIDGE\tUSER\tLOGIN\tNAME\tSTATE\tDETAIL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.bridge, orDash(r.user), orDash(r.login), orDash(r.name), r.state, r.detail)
	}
	_ = tw.Flush()
	if broken > 0 {
		return errFailed
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// logins lists a bridge's logins with their live state: the users from the bridge's database,
// each one's logins and states from the bridge's provisioning API (whoami).
func (s *setup) logins(ctx context.Context) ([]loginRow, error) {
	if len(s.loadErrs) > 0 {
		return nil, errors.New(strings.Join(s.loadErrs, "; "))
	}
	if err := s.pingBridge(ctx); err != nil {
		return nil, err
	}
	users, err := s.users(ctx)
	if err != nil {
		return nil, err
	}
	var rows []loginRow
	for _, u := range users {
		who, err := s.whoami(ctx, u)
		if err != nil {
			return nil, err
		}
		for _, l := range who.Logins {
			rows = append(rows, loginRow{bridge: s.name, user: u, login: string(l.ID), name: l.Name,
				state: string(l.State.StateEvent), detail: strings.TrimSpace(string(l.State.Error) + " " + l.State.Message)})
		}
	}
	return rows, nil
}

// users reads the Matrix users that have logins from the bridge's database.
func (s *setup) users(ctx context.Context) ([]string, error) {
	driver, uri := "postgres", s.config.Database.URI
	if strings.HasPrefix(s.config.Database.Type, "sqlite") {
		driver = "sqlite3"
		// Read only: never create or lock the bridge's file.
		path := strings.TrimPrefix(strings.SplitN(uri, "?", 2)[0], "file:")
		uri = "file:" + path + "?mode=ro"
	}
	db, err := sql.Open(driver, uri)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT DISTINCT user_mxid FROM user_login ORDER BY user_mxid")
	if err != nil {
		return nil, fmt.Errorf("read logins (has the bridge started once?): %w", err)
	}
	defer rows.Close()
	var users []string
	for rows.Next() {
		var u string
		if err = rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("read logins: %w", err)
		}
		users = append(users, u)
	}
	if err = rows.Err(); err != nil {
		return nil, fmt.Errorf("read logins: %w", err)
	}
	return users, nil
}

// whoami asks the bridge's provisioning API for a user's logins.
func (s *setup) whoami(ctx context.Context, user string) (*matrix.RespWhoami, error) {
	secret := s.config.Provisioning.SharedSecret
	if secret == "" || secret == "disable" {
		return nil, errors.New("the provisioning API is disabled (provisioning.shared_secret): status needs it")
	}
	u := strings.TrimSuffix(s.config.AppService.Address, "/") + "/_matrix/provision/v3/whoami?user_id=" + url.QueryEscape(user)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("make provisioning request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := (&http.Client{Timeout: checkTimeout}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask the bridge at %s (is it running?): %w", s.config.AppService.Address, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("provisioning API answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	var who matrix.RespWhoami
	if err = json.NewDecoder(resp.Body).Decode(&who); err != nil {
		return nil, fmt.Errorf("read provisioning answer: %w", err)
	}
	return &who, nil
}

// pingBridge checks that the bridge is up with the ping a homeserver sends it (Application
// Service API), which touches nothing in the bridge.
func (s *setup) pingBridge(ctx context.Context) error {
	u := strings.TrimSuffix(s.config.AppService.Address, "/") + "/_matrix/app/v1/ping"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(`{"transaction_id":"mxbridges-status"}`))
	if err != nil {
		return fmt.Errorf("make ping request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.config.AppService.HSToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: checkTimeout}).Do(req)
	if err != nil {
		return fmt.Errorf("the bridge at %s does not answer (is it running?): %w", s.config.AppService.Address, err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the bridge at %s answered its ping with %s", s.config.AppService.Address, resp.Status)
	}
	return nil
}
