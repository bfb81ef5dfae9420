package loadtest

import (
	"context"
	"time"

	"maunium.net/go/mautrix/id"
)

// Target is one bridge under load, already running on the test stack with its fake network.
// Implementations live beside each bridge's integration tests; the harness never imports a
// bridge. Methods may be called from several goroutines at once.
type Target interface {
	// Name names the bridge in tables ("whatsapp").
	Name() string
	// Chats returns n bridged chats of the Matrix user the harness measures with, each with a
	// portal room that user has joined and can send in. Calling it again returns chats that
	// are not in use yet.
	Chats(ctx context.Context, n int) ([]Chat, error)
	// Arrivals yields every message body the fake network receives from Matrix, with the time
	// the fake received it, for as long as the target lives. It is read by one goroutine.
	Arrivals() <-chan Arrival
}

// Chat is one bridged chat of a Target.
type Chat interface {
	// Room is the chat's portal room.
	Room() id.RoomID
	// Emit makes the chat's remote side send body on the fake network, as a contact would.
	// It returns once the network has handed the message to the bridge's connection.
	Emit(ctx context.Context, body string) error
}

// Arrival is a message body the fake network received and when.
type Arrival struct {
	Body string
	At   time.Time
}
