package tgfake

import (
	"context"
	"fmt"
	"time"
)

// Telegram keeps the random_id of every message an account sent and refuses a second
// messages.sendMessage with the same one: "RANDOM_ID_DUPLICATE: You provided a random ID that
// was already used" (code 500), so a client that sends again after a crash does not write twice.

// randomIDTaken reports whether the account already sent a message with randomID, and counts
// the repeat when it did.
func (n *Network) randomIDTaken(account, randomID int64) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.randomIDs[account][randomID] {
		return false
	}
	if n.repeats == nil {
		n.repeats = map[int64]int{}
	}
	n.repeats[account]++
	return true
}

// RepeatedRandomIDs is how many sends of the account the fake refused with
// RANDOM_ID_DUPLICATE: sends of a message it had taken already.
func (n *Network) RepeatedRandomIDs(acct *Account) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.repeats[acct.User.ID]
}

// takeRandomID notes that the account sent a message with randomID.
func (n *Network) takeRandomID(account, randomID int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.randomIDs == nil {
		n.randomIDs = map[int64]map[int64]bool{}
	}
	if n.randomIDs[account] == nil {
		n.randomIDs[account] = map[int64]bool{}
	}
	n.randomIDs[account][randomID] = true
}

// NextSent returns the next message the bridge sent, waiting until ctx ends: for readers of
// the whole stream (load tests), where WaitSent is for one expected message.
func (n *Network) NextSent(ctx context.Context) (Sent, error) {
	select {
	case s := <-n.sent:
		return s, nil
	case <-ctx.Done():
		return Sent{}, fmt.Errorf("wait for a sent message: %w", ctx.Err())
	}
}

// answerHold is an armed HoldNextAnswer.
type answerHold struct {
	taken, release chan struct{}
}

// HoldNextAnswer makes the answer to the next private message any account sends wait until
// release is called (or 10 s pass): Telegram has taken the message, but the client does not
// know it yet. taken is closed once such a message was taken. Crash tests kill the bridge in
// that window, when a client that sends again would write the message twice.
func (n *Network) HoldNextAnswer() (taken <-chan struct{}, release func()) {
	h := &answerHold{taken: make(chan struct{}), release: make(chan struct{})}
	n.mu.Lock()
	n.hold = h
	n.mu.Unlock()
	var once bool
	return h.taken, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		if n.hold == h {
			n.hold = nil
		}
		if !once {
			once = true
			close(h.release)
		}
	}
}

// holdAnswer waits as an armed HoldNextAnswer says, after a message was taken.
func (n *Network) holdAnswer() {
	n.mu.Lock()
	h := n.hold
	n.hold = nil
	n.mu.Unlock()
	if h == nil {
		return
	}
	close(h.taken)
	select {
	case <-h.release:
	case <-time.After(10 * time.Second):
	}
}
