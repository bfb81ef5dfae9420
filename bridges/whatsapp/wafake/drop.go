package wafake

import (
	"context"
	"errors"
	"time"

	"go.mau.fi/whatsmeow/types/events"
)

// errDropped is what Connect returns while the network is dropped.
var errDropped = errors.New("fake WhatsApp: the network is unreachable")

// Drop cuts every client's connection: each gets events.Disconnected, and Connect and
// SendMessage fail until Restore; messages delivered meanwhile wait (Deliver). Clients then
// reconnect by themselves, as whatsmeow's do (EnableAutoReconnect). With Restore, the
// Network is a loadtest.Link.
func (n *Network) Drop(context.Context) error {
	n.mu.Lock()
	n.dropped = true
	clients := append([]*Client(nil), n.clients...)
	n.mu.Unlock()
	for _, c := range clients {
		c.cut()
	}
	return nil
}

// Restore accepts connections again.
func (n *Network) Restore(context.Context) error {
	n.mu.Lock()
	n.dropped = false
	n.mu.Unlock()
	n.wakeUp()
	return nil
}

func (n *Network) isDropped() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.dropped
}

// cut ends a connected client's connection from the network's side.
func (c *Client) cut() {
	c.mu.Lock()
	was := c.connected
	c.connected = false
	remote := c.remote != nil
	c.mu.Unlock()
	if !was {
		return
	}
	c.Emit(&events.Disconnected{})
	// A remote client (serve.go) reconnects on its side of the link.
	if !remote {
		go c.autoReconnect()
	}
}

// autoReconnect is whatsmeow's automatic reconnect: after 0, 2, 4, ... seconds, until a
// Connect succeeds or the client is disconnected on purpose.
func (c *Client) autoReconnect() {
	for errs := 0; ; errs++ {
		time.Sleep(time.Duration(errs) * 2 * time.Second)
		c.mu.Lock()
		closed, connected := c.closed, c.connected
		c.mu.Unlock()
		if closed || connected {
			return
		}
		if err := c.Connect(); err == nil {
			return
		}
	}
}
