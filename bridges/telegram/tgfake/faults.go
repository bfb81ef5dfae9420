package tgfake

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgtest"
)

// errDropped ends a connection from the server's side: tgtest closes a connection whose
// handler returns an error, without answering the request.
var errDropped = errors.New("fake Telegram dropped the connection")

// DropConnectionOnNextUpload makes the next upload.saveFilePart (or saveBigFilePart) end the
// client's connection instead of answering, as a network failure in the middle of an upload
// would. The part is not stored.
func (n *Network) DropConnectionOnNextUpload() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.dropUploads++
}

// dropUpload reports whether this upload request must drop the connection.
func (n *Network) dropUpload() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.dropUploads == 0 {
		return false
	}
	n.dropUploads--
	n.dropped++
	return true
}

// DroppedConnections is how many connections the fake has dropped on purpose.
func (n *Network) DroppedConnections() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.dropped
}

// DeliverUndecodable pushes the account an updates container holding an update whose type
// this version of Telegram's schema does not have, as a newer server would; the client cannot
// decode it.
func (n *Network) DeliverUndecodable(ctx context.Context, to *Account) error {
	n.mu.Lock()
	sess, ok := n.sessions[to.User.ID]
	n.mu.Unlock()
	if !ok {
		return nil
	}
	if err := n.server.Send(ctx, sess, tgtest.MessageFromServer, unknownUpdates{}); err != nil {
		return fmt.Errorf("push to %d: %w", to.User.ID, err)
	}
	return nil
}

// unknownUpdates encodes updates#74ae4240 with one update of an unknown constructor.
type unknownUpdates struct{}

func (unknownUpdates) Encode(b *bin.Buffer) error {
	b.PutID(tg.UpdatesTypeID)
	b.PutVectorHeader(1)
	b.PutID(0x0badc0de) // no such update
	b.PutInt(42)
	b.PutVectorHeader(0) // users
	b.PutVectorHeader(0) // chats
	b.PutInt(int(time.Now().Unix()))
	b.PutInt(0) // seq
	return nil
}

// DeliverUnknownUpdate pushes the account an update the bridge has no use for (a known type).
func (n *Network) DeliverUnknownUpdate(ctx context.Context, to *Account) error {
	return n.push(ctx, to, nil, &tg.UpdateDialogFilters{}, &tg.UpdateConfig{})
}

// LoggedIn says whether any session is logged in as the user.
func (n *Network) LoggedIn(userID int64) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range n.bound {
		if id == userID {
			return true
		}
	}
	return false
}
