package wafake

import (
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// mailbox is what WhatsApp keeps for one account until its device takes it: messages are
// handed to the account's connected client one at a time, in order; one the client does not
// acknowledge (its handler returned false, or the connection went away first) stays first in
// line and is delivered again on the client's next connection, as WhatsApp does.
type mailbox struct {
	queue   []*events.Message
	running bool
}

// Deliver makes the account's WhatsApp keep evt for its device and returns at once, as a
// contact's phone returns once the server has the message: the device gets it when it is
// connected (now, or after it reconnects). Messages to one account arrive in Deliver's order.
func (n *Network) Deliver(account types.JID, evt *events.Message) {
	account = account.ToNonAD()
	n.mu.Lock()
	mb := n.mail[account]
	if mb == nil {
		mb = &mailbox{}
		n.mail[account] = mb
	}
	mb.queue = append(mb.queue, evt)
	start := !mb.running
	mb.running = true
	n.mu.Unlock()
	if start {
		go n.runMailbox(account, mb)
	}
	n.wakeUp()
}

// Pending is how many delivered messages the account's device has not acknowledged yet.
func (n *Network) Pending(account types.JID) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	if mb := n.mail[account.ToNonAD()]; mb != nil {
		return len(mb.queue)
	}
	return 0
}

// Redelivered counts the messages the mailboxes delivered again after a delivery that was not
// acknowledged.
func (n *Network) Redelivered() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.redelivered
}

// wakeUp tells every mailbox that something changed (a message came, a client connected).
func (n *Network) wakeUp() {
	n.mu.Lock()
	defer n.mu.Unlock()
	close(n.wake)
	n.wake = make(chan struct{})
}

func (n *Network) runMailbox(account types.JID, mb *mailbox) {
	var failedOn *Client
	var failedEpoch uint64
	for {
		n.mu.Lock()
		if len(mb.queue) == 0 {
			mb.running = false
			n.mu.Unlock()
			return
		}
		evt, wake, dropped := mb.queue[0], n.wake, n.dropped
		n.mu.Unlock()
		cli := n.ClientOf(account)
		var connected bool
		var epoch uint64
		if cli != nil {
			connected, epoch = cli.connection()
		}
		if dropped || !connected || (cli == failedOn && epoch == failedEpoch) {
			<-wake
			continue
		}
		if failedOn != nil {
			n.mu.Lock()
			n.redelivered++
			n.mu.Unlock()
		}
		if !cli.Emit(evt) {
			failedOn, failedEpoch = cli, epoch
			continue
		}
		failedOn = nil
		n.mu.Lock()
		mb.queue = mb.queue[1:]
		n.mu.Unlock()
	}
}
