package wafake_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

// bodies collects the texts of the messages a handler took, in order.
type bodies struct {
	mu   sync.Mutex
	got  []string
	fail atomic.Int32 // how many more messages to refuse
}

func (b *bodies) handle(evt any) bool {
	msg, ok := evt.(*events.Message)
	if !ok {
		return true
	}
	if b.fail.Load() > 0 {
		b.fail.Add(-1)
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, msg.Message.GetConversation())
	return true
}

func (b *bodies) wait(t *testing.T, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(patient); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		b.mu.Lock()
		got := append([]string(nil), b.got...)
		b.mu.Unlock()
		if len(got) >= n {
			return got
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	t.Fatalf("took %d messages (%q), want %d", len(b.got), b.got, n)
	return nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * patient); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within %s", what, 3*patient)
}

// TestDeliverRedeliversUnacknowledged: a message the handler refuses stays first in line and
// comes again, before the later ones, on the client's next connection.
func TestDeliverRedeliversUnacknowledged(t *testing.T) {
	net := wafake.New()
	c, _ := pairedClient(t, net)
	var b bodies
	b.fail.Store(1)
	c.AddEventHandlerWithSuccessStatus(b.handle)
	net.Deliver(me, wafake.Incoming(alice, alice, "Alice", wafake.Text("one")))
	net.Deliver(me, wafake.Incoming(alice, alice, "Alice", wafake.Text("two")))
	waitFor(t, "the refusal", func() bool { return b.fail.Load() == 0 })
	time.Sleep(short)
	if n := net.Pending(me); n != 2 {
		t.Fatalf("Pending = %d after a refusal, want 2 (kept for the next connection)", n)
	}
	c.Disconnect()
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if got := b.wait(t, 2); got[0] != "one" || got[1] != "two" {
		t.Errorf("took %q, want [one two]", got)
	}
	waitFor(t, "an empty mailbox", func() bool { return net.Pending(me) == 0 })
}

// TestDropAndRestore: a drop disconnects the client and refuses sends and connections; what
// contacts send meanwhile waits; after Restore the client reconnects by itself and takes it.
func TestDropAndRestore(t *testing.T) {
	net := wafake.New()
	c, _ := pairedClient(t, net)
	var b bodies
	var disconnects, connects atomic.Int32
	c.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		switch evt.(type) {
		case *events.Disconnected:
			disconnects.Add(1)
		case *events.Connected:
			connects.Add(1)
		}
		return b.handle(evt)
	})
	ctx := context.Background()
	if err := net.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if c.IsConnected() || disconnects.Load() != 1 {
		t.Fatalf("after Drop: connected %v, %d Disconnected events; want false, 1", c.IsConnected(), disconnects.Load())
	}
	if _, err := c.SendMessage(ctx, alice, wafake.Text("out")); !errors.Is(err, whatsmeow.ErrNotConnected) {
		t.Errorf("SendMessage while dropped: %v, want ErrNotConnected", err)
	}
	if err := c.Connect(); err == nil {
		t.Error("Connect while dropped succeeded")
	}
	net.Deliver(me, wafake.Incoming(alice, alice, "Alice", wafake.Text("meanwhile")))
	time.Sleep(short)
	if n := net.Pending(me); n != 1 {
		t.Fatalf("Pending while dropped = %d, want 1", n)
	}
	if err := net.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if got := b.wait(t, 1); got[0] != "meanwhile" {
		t.Errorf("took %q after Restore, want [meanwhile]", got)
	}
	if !c.IsConnected() || connects.Load() == 0 {
		t.Errorf("after Restore: connected %v, %d Connected events", c.IsConnected(), connects.Load())
	}
}

// TestRepeatedIDIsDropped: WhatsApp keeps one message per sender and ID; a repeat is answered
// but not delivered, and counted.
func TestRepeatedIDIsDropped(t *testing.T) {
	net := wafake.New()
	c, _ := pairedClient(t, net)
	ctx := context.Background()
	extra := whatsmeow.SendRequestExtra{ID: types.MessageID("3EB0AAAAAAAAAAAAAAAA")}
	for range 2 {
		if resp, err := c.SendMessage(ctx, alice, wafake.Text("hi"), extra); err != nil || resp.ID != extra.ID {
			t.Fatalf("SendMessage = %+v, %v; want ID %s", resp, err, extra.ID)
		}
	}
	if _, err := net.WaitSent(patient); err != nil {
		t.Fatal(err)
	}
	if _, err := net.WaitSent(short); err == nil {
		t.Error("the repeated message was delivered")
	}
	if n := net.Repeated(); n != 1 {
		t.Errorf("Repeated = %d, want 1", n)
	}
}

// TestHoldNextAnswer: the held send is recorded at once and answered only after release.
func TestHoldNextAnswer(t *testing.T) {
	net := wafake.New()
	c, _ := pairedClient(t, net)
	taken, release := net.HoldNextAnswer()
	answered := make(chan error, 1)
	go func() {
		_, err := c.SendMessage(context.Background(), alice, wafake.Text("held"))
		answered <- err
	}()
	select {
	case <-taken:
	case <-time.After(patient):
		t.Fatal("the send was not taken")
	}
	if _, err := net.WaitSent(patient); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-answered:
		t.Fatalf("answered before release: %v", err)
	case <-time.After(short):
	}
	release()
	release()
	if err := <-answered; err != nil {
		t.Errorf("held send: %v", err)
	}
}
