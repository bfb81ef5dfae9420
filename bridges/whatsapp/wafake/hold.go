package wafake

import (
	"go.mau.fi/whatsmeow/types"
)

// hold is a send whose answer waits (HoldNextAnswer).
type hold struct {
	taken, release chan struct{}
}

// HoldNextAnswer makes the next send WhatsApp records wait before it answers the sender:
// taken is closed once the message is recorded, and the answer goes out only after release
// (which is safe to call more than once). Crash tests kill the bridge in between.
func (n *Network) HoldNextAnswer() (taken <-chan struct{}, release func()) {
	h := &hold{taken: make(chan struct{}), release: make(chan struct{})}
	n.mu.Lock()
	n.hold = h
	n.mu.Unlock()
	released := false
	return h.taken, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		if n.hold == h {
			n.hold = nil
		}
		if !released {
			released = true
			close(h.release)
		}
	}
}

// holdAnswer waits for the release of a held answer, if one is set.
func (n *Network) holdAnswer() {
	n.mu.Lock()
	h := n.hold
	n.hold = nil
	n.mu.Unlock()
	if h == nil {
		return
	}
	close(h.taken)
	<-h.release
}

// firstUse records that from sent a message with id and reports whether it is the first one.
func (n *Network) firstUse(from types.JID, id types.MessageID) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	key := sentKey{from.ToNonAD(), id}
	if n.sentIDs[key] {
		n.repeated++
		return false
	}
	n.sentIDs[key] = true
	return true
}

// Repeated counts the sends WhatsApp dropped because their sender had sent a message with
// the same ID before.
func (n *Network) Repeated() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.repeated
}

// LoseNextAck makes the next acknowledgement of a message that a remote client (ServeRemote)
// sends get lost on the way: the message stays unacknowledged, and WhatsApp delivers it again
// on the device's next connection, although the bridge took it. The channel is closed once an
// acknowledgement was lost. Crash tests kill the bridge then.
func (n *Network) LoseNextAck() <-chan struct{} {
	lost := make(chan struct{})
	n.mu.Lock()
	n.loseAck = lost
	n.mu.Unlock()
	return lost
}

// takeLoseAck returns the pending LoseNextAck channel and clears it.
func (n *Network) takeLoseAck() chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	lost := n.loseAck
	n.loseAck = nil
	return lost
}
