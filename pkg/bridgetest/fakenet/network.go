package fakenet

import (
	"context"
	"fmt"
	"sync"
	"time"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"
	"maunium.net/go/mautrix/event"
)

// Sent is a message that reached the fake network from Matrix.
type Sent struct {
	// Login is the account that sent it (the bridge user's fake-network username).
	Login string
	// Chat is the fake-network chat it was sent to.
	Chat string
	// Text is the message body.
	Text string
	// ID is the message ID the network assigned.
	ID string
}

// Network is the remote side. Tests add accounts, make remote users speak with [Network.Deliver]
// and read what Matrix users sent from [Network.Outbox]. It is safe for concurrent use.
type Network struct {
	mu       sync.Mutex
	accounts map[string]string // username → password
	names    map[string]string // remote user ID → display name
	bridge   *bridgev2.Bridge
	outbox   chan Sent
	nextID   int
	loss     txnLoss // see LoseNextTransaction
}

// New returns an empty network. The outbox holds up to 1024 undelivered messages.
func New() *Network {
	return &Network{
		accounts: map[string]string{},
		names:    map[string]string{},
		outbox:   make(chan Sent, 1024),
	}
}

// AddAccount creates an account that can log in with the password flow (password) or the token
// flow (token "token-"+username).
func (n *Network) AddAccount(username, password string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.accounts[username] = password
	n.names[username] = username
}

// Secrets describes every credential of the network's accounts (passwords and login tokens),
// so that tests can check that none of them reaches a log.
func (n *Network) Secrets() map[string]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string]string{}
	for user, pw := range n.accounts {
		out["fakenet password of "+user] = pw
		out["fakenet token of "+user] = "token-" + user
	}
	return out
}

// SetName sets a remote user's display name, as the network would show it.
func (n *Network) SetName(userID, name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.names[userID] = name
}

func (n *Network) name(userID string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if name, ok := n.names[userID]; ok {
		return name
	}
	return userID
}

func (n *Network) checkPassword(username, password string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	want, ok := n.accounts[username]
	return ok && want == password
}

func (n *Network) hasAccount(username string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	_, ok := n.accounts[username]
	return ok
}

func (n *Network) newMessageID() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nextID++
	return fmt.Sprintf("fm-%d", n.nextID)
}

// Outbox yields the messages Matrix users sent into the network, in order.
func (n *Network) Outbox() <-chan Sent { return n.outbox }

// WaitSent returns the next message that reached the network, or an error after timeout.
func (n *Network) WaitSent(timeout time.Duration) (Sent, error) {
	select {
	case s := <-n.outbox:
		return s, nil
	case <-time.After(timeout):
		return Sent{}, fmt.Errorf("no message reached the fake network within %s", timeout)
	}
}

// Deliver makes remote user `from` send text in the one-to-one chat between `from` and the
// bridge login `login`. The portal is created if it does not exist yet. It returns the
// network's message ID once the bridge has queued the event.
func (n *Network) Deliver(ctx context.Context, login, from, text string) (string, error) {
	return n.DeliverID(ctx, login, from, n.newMessageID(), text)
}

// DeliverID is Deliver with the network's message ID given: delivering the same ID again is
// what a network does when the bridge did not take a message, and the bridge must show it once.
func (n *Network) DeliverID(ctx context.Context, login, from, id, text string) (string, error) {
	n.mu.Lock()
	br := n.bridge
	n.mu.Unlock()
	if br == nil {
		return "", fmt.Errorf("deliver to %s: the connector is not attached to a bridge", login)
	}
	ul := br.GetCachedUserLoginByID(networkid.UserLoginID(login))
	if ul == nil {
		return "", fmt.Errorf("deliver to %s: no such login on the bridge", login)
	}
	res := ul.QueueRemoteEvent(&simplevent.Message[string]{
		EventMeta: simplevent.EventMeta{
			Type:         bridgev2.RemoteEventMessage,
			PortalKey:    dmPortalKey(login, from),
			Sender:       bridgev2.EventSender{Sender: networkid.UserID(from)},
			CreatePortal: true,
			Timestamp:    time.Now(),
		},
		Data: text,
		ID:   networkid.MessageID(id),
		ConvertMessageFunc: func(_ context.Context, _ *bridgev2.Portal, _ bridgev2.MatrixAPI, text string) (*bridgev2.ConvertedMessage, error) {
			return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
				Type:    event.EventMessage,
				Content: &event.MessageEventContent{MsgType: event.MsgText, Body: text},
			}}}, nil
		},
	})
	if !res.Success && !res.Queued {
		return "", fmt.Errorf("deliver to %s: bridge did not accept the event: %v", login, res.Error)
	}
	return id, nil
}

// dmPortalKey names the one-to-one chat between a login and a remote user. Chats belong to one
// login (the receiver), as on networks where every account sees its own copy of a chat.
func dmPortalKey(login, other string) networkid.PortalKey {
	return networkid.PortalKey{ID: networkid.PortalID("dm:" + other), Receiver: networkid.UserLoginID(login)}
}
