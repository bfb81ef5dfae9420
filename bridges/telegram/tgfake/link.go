package tgfake

import (
	"context"
	"fmt"

	"github.com/gotd/td/tgtest"
)

// A dropped network, as one account sees it: Telegram closes the account's connections and
// does not take new ones until the network is back. What contacts write meanwhile is kept
// with the account's pts, as for any account that is offline, and reaches the client through
// updates.getDifference once it is connected again.

// Link is one account's connection to the fake, which a test can cut (Drop) and give back
// (Restore). It implements loadtest.Link.
type Link struct {
	n    *Network
	acct *Account
}

// Link returns the connection of acct's clients to the fake.
func (n *Network) Link(acct *Account) *Link { return &Link{n: n, acct: acct} }

// Drop closes every MTProto connection of the account's sessions and refuses the requests of
// new ones (the fake ends a connection whose first request comes from a cut account) until
// Restore. It returns once the connections are closed.
func (l *Link) Drop(context.Context) error {
	n, user := l.n, l.acct.User.ID
	n.mu.Lock()
	if n.cut == nil {
		n.cut = map[int64]bool{}
	}
	n.cut[user] = true
	conns := n.conns[user]
	delete(n.conns, user)
	delete(n.sessions, user)
	n.dropped += len(conns)
	n.mu.Unlock()
	for _, s := range conns {
		n.server.ForceDisconnect(s)
	}
	return nil
}

// Restore takes the account's connections again; its clients reconnect on their own.
func (l *Link) Restore(context.Context) error {
	n := l.n
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.cut[l.acct.User.ID] {
		return fmt.Errorf("restore the connection of %d: it was not dropped", l.acct.User.ID)
	}
	delete(n.cut, l.acct.User.ID)
	return nil
}

// gate passes every request to next, except those of a cut account, whose connection it
// ends. It notes every connection (session) of a logged-in account, for Drop, and makes the
// latest one the account's session for pushed updates: a client that reconnected gets what
// is pushed after its first request, so nothing falls between the difference it asks for and
// the updates that follow.
func (n *Network) gate(next tgtest.Handler) tgtest.HandlerFunc {
	return func(s *tgtest.Server, req *tgtest.Request) error {
		n.mu.Lock()
		user, bound := n.bound[req.Session.AuthKey.ID]
		if bound && n.cut[user] {
			n.dropped++
			n.mu.Unlock()
			return errDropped
		}
		if bound {
			if n.conns == nil {
				n.conns = map[int64]map[int64]tgtest.Session{}
			}
			if n.conns[user] == nil {
				n.conns[user] = map[int64]tgtest.Session{}
			}
			n.conns[user][req.Session.ID] = req.Session
			n.sessions[user] = req.Session
		}
		n.mu.Unlock()
		return next.OnMessage(s, req)
	}
}
