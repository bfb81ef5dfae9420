package tgfake

import (
	"context"
	"fmt"
)

// Telegram keeps the random_id of every message an account sent and refuses a second
// messages.sendMessage with the same one: "RANDOM_ID_DUPLICATE: You provided a random ID that
// was already used" (code 500), so a client that sends again after a crash does not write twice.

// randomIDTaken reports whether the account already sent a message with randomID.
func (n *Network) randomIDTaken(account, randomID int64) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.randomIDs[account][randomID]
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
