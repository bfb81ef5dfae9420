package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
	"github.com/mxbridges/mxbridges/bridges/people/provision"
)

// clients returns a provisioning client for each configured bridge, in config order.
func (c *Connector) clients() []*provision.Client {
	out := make([]*provision.Client, 0, len(c.Config.Bridges))
	for _, b := range c.Config.Bridges {
		out = append(out, &provision.Client{Network: b.Network, BaseURL: b.URL, Secret: b.SharedSecret})
	}
	return out
}

// SyncReport is what one sync did, per bridge in config order.
type SyncReport struct {
	Networks []string
	Results  map[string]directory.SyncResult
	// Failures are the bridges whose contact list could not be read; their people stay as
	// they were.
	Failures []*provision.Error
	// NotLoggedIn are the bridges where the user has no login: nothing is wrong with them.
	NotLoggedIn []string
}

// fetched is one bridge's contact list or why there is none.
type fetched struct {
	contacts []directory.Contact
	err      error
}

// eachBridge calls f for every configured bridge at once and returns the results in config
// order.
func eachBridge[T any](c *Connector, f func(*provision.Client) T) []T {
	clients := c.clients()
	out := make([]T, len(clients))
	var wg sync.WaitGroup
	for i, cl := range clients {
		wg.Go(func() { out[i] = f(cl) })
	}
	wg.Wait()
	return out
}

// Sync reads owner's contact list from every bridge and merges it into owner's people.
func (c *Connector) Sync(ctx context.Context, owner id.UserID) (*SyncReport, error) {
	if len(c.Config.Bridges) == 0 {
		return nil, errNoBridges
	}
	lists := eachBridge(c, func(cl *provision.Client) fetched {
		contacts, err := cl.Contacts(ctx, owner)
		if err != nil {
			return fetched{err: err}
		}
		return fetched{contacts: toContacts(contacts)}
	})
	rep := &SyncReport{Results: map[string]directory.SyncResult{}}
	err := c.Store.Update(ctx, owner, func(d *directory.Directory) error {
		for i, b := range c.Config.Bridges {
			rep.Networks = append(rep.Networks, b.Network)
			if err := lists[i].err; err != nil {
				pe, ok := errors.AsType[*provision.Error](err)
				if !ok {
					pe = &provision.Error{Network: b.Network, Err: err}
				}
				if pe.Kind == provision.NotLoggedIn {
					rep.NotLoggedIn = append(rep.NotLoggedIn, b.Network)
					continue
				}
				zerolog.Ctx(ctx).Warn().Err(err).Str("network", b.Network).Msg("Could not read a bridge's contact list")
				rep.Failures = append(rep.Failures, pe)
				continue
			}
			rep.Results[b.Network] = d.Sync(b.Network, lists[i].contacts, c.Config.AutoLink)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store synced people: %w", err)
	}
	return rep, nil
}

// toContacts takes what the directory needs from bridgev2's contact entries: a phone number
// from a "tel:" identifier, a username from the first other "<network>:<name>" identifier.
func toContacts(in []*provision.Contact) []directory.Contact {
	out := make([]directory.Contact, 0, len(in))
	for _, r := range in {
		if r == nil || r.ID == "" {
			continue
		}
		out = append(out, toContact(r))
	}
	return out
}

func toContact(r *provision.Contact) directory.Contact {
	c := directory.Contact{ID: string(r.ID), Name: strings.TrimSpace(r.Name), MXID: string(r.MXID)}
	for _, ident := range r.Identifiers {
		if strings.HasPrefix(ident, "tel:") {
			// A number that is not international names no country: it links nobody.
			if phone := directory.NormalizePhone(ident); phone != "" && c.Phone == "" {
				c.Phone = phone
			}
		} else if _, name, ok := strings.Cut(ident, ":"); ok && c.Username == "" && name != "" {
			c.Username = name
		}
	}
	return c
}
