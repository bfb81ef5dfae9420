package remote

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

const patient = 10 * time.Second

var (
	me    = wafake.User("4917000000000")
	alice = wafake.User("4915112345678")
)

func newContainer(t *testing.T) *sqlstore.Container {
	t.Helper()
	ctx := context.Background()
	container, err := sqlstore.New(ctx, "sqlite3", "file:"+filepath.Join(t.TempDir(), "s.db")+"?_foreign_keys=on", nil)
	if err != nil {
		t.Fatalf("sqlstore.New: %v", err)
	}
	t.Cleanup(func() { _ = container.Close() })
	if err := container.Upgrade(ctx); err != nil {
		t.Fatalf("Upgrade: %v", err)
	}
	return container
}

// texts records the conversation texts a handler took.
type texts struct {
	mu  sync.Mutex
	got []string
	ch  chan string
}

func newTexts() *texts { return &texts{ch: make(chan string, 64)} }

func (x *texts) handle(evt any) bool {
	if msg, ok := evt.(*events.Message); ok {
		x.ch <- msg.Message.GetConversation()
	}
	return true
}

func (x *texts) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-x.ch:
		return s
	case <-time.After(patient):
		t.Fatal("no message within the wait")
		return ""
	}
}

// pair links a remote client's fresh device as me through the QR flow and returns the client
// and the device store holding the paired device.
func pair(t *testing.T, net *wafake.Network, url string) (*Client, *sqlstore.Container) {
	t.Helper()
	ctx := context.Background()
	container := newContainer(t)
	c := New(url, container.NewDevice(), waLog.Noop)
	qr, err := c.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err = c.Connect(); err != nil {
		t.Fatal(err)
	}
	server := net.Latest()
	if err = server.ShowQR("2@code"); err != nil {
		t.Fatal(err)
	}
	if item := <-qr; item.Code != "2@code" {
		t.Fatalf("first QR item %+v, want the code", item)
	}
	if err = server.Pair(ctx, me, "Me"); err != nil {
		t.Fatal(err)
	}
	if item := <-qr; item != whatsmeow.QRChannelSuccess {
		t.Fatalf("last QR item %+v, want success", item)
	}
	if c.device.ID == nil || c.device.ID.User != me.User {
		t.Fatalf("paired device is %v, want %s", c.device.ID, me)
	}
	stored, err := container.GetDevice(ctx, *c.device.ID)
	if err != nil || stored == nil {
		t.Fatalf("paired device not in the store: %v", err)
	}
	return c, container
}

func serve(t *testing.T) (*wafake.Network, string) {
	t.Helper()
	net := wafake.New()
	srv := wafake.ServeRemote(net)
	t.Cleanup(srv.Close)
	return net, srv.URL
}

// TestRemoteKilledClientGetsRedelivery: a message whose handler never answered (the process
// died) is delivered again to the next client of the same device, and sends come back with the
// fake's answer.
func TestRemoteKilledClientGetsRedelivery(t *testing.T) {
	net, url := serve(t)
	first, container := pair(t, net, url)
	block := make(chan struct{})
	entered := make(chan struct{}, 1)
	first.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		if _, ok := evt.(*events.Message); ok {
			entered <- struct{}{}
			<-block
		}
		return true
	})
	net.Deliver(me, wafake.Incoming(alice, alice, "Alice", wafake.Text("once")))
	select {
	case <-entered:
	case <-time.After(patient):
		t.Fatal("the message did not reach the first client")
	}
	// The first process dies: its stream ends before it answered.
	first.mu.Lock()
	stop := first.stream
	first.mu.Unlock()
	stop()
	defer close(block)

	device, err := container.GetDevice(context.Background(), *first.device.ID)
	if err != nil {
		t.Fatal(err)
	}
	second := New(url, device, waLog.Noop)
	got := newTexts()
	second.AddEventHandlerWithSuccessStatus(got.handle)
	if err = second.Connect(); err != nil {
		t.Fatal(err)
	}
	if s := got.next(t); s != "once" {
		t.Errorf("redelivered %q, want once", s)
	}
	resp, err := second.SendMessage(context.Background(), alice, wafake.Text("out"), whatsmeow.SendRequestExtra{ID: "3EB0BBBBBBBBBBBBBBBB"})
	if err != nil || resp.ID != "3EB0BBBBBBBBBBBBBBBB" || resp.Sender.User != me.User {
		t.Fatalf("SendMessage = %+v, %v", resp, err)
	}
	sent, err := net.WaitSent(patient)
	if err != nil || sent.Message.GetConversation() != "out" || sent.To != alice {
		t.Errorf("the fake got %+v, %v", sent, err)
	}
}

// TestRemoteDrop: a drop reaches the remote client as Disconnected, its sends fail as not
// connected, and it reconnects by itself after Restore and takes what waited.
func TestRemoteDrop(t *testing.T) {
	net, url := serve(t)
	c, _ := pair(t, net, url)
	got := newTexts()
	disconnected := make(chan struct{}, 4)
	c.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		if _, ok := evt.(*events.Disconnected); ok {
			disconnected <- struct{}{}
		}
		return got.handle(evt)
	})
	ctx := context.Background()
	if err := net.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-disconnected:
	case <-time.After(patient):
		t.Fatal("no Disconnected event after the drop")
	}
	if _, err := c.SendMessage(ctx, alice, wafake.Text("x")); !errors.Is(err, whatsmeow.ErrNotConnected) {
		t.Errorf("SendMessage while dropped: %v, want ErrNotConnected", err)
	}
	net.Deliver(me, wafake.Incoming(alice, alice, "Alice", wafake.Text("waited")))
	if err := net.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if s := got.next(t); s != "waited" {
		t.Errorf("took %q after the restore, want waited", s)
	}
	if !c.IsConnected() {
		t.Error("not connected after the restore")
	}
}

// TestRemoteUnsupported: what the remote fake does not carry says so.
func TestRemoteUnsupported(t *testing.T) {
	c := New("http://127.0.0.1:1", newContainer(t).NewDevice(), waLog.Noop)
	if _, err := c.Upload(context.Background(), []byte("x"), whatsmeow.MediaImage); !errors.Is(err, ErrNotSupported) {
		t.Errorf("Upload: %v, want ErrNotSupported", err)
	}
	if _, err := c.CreateGroup(context.Background(), whatsmeow.ReqCreateGroup{Participants: []types.JID{alice}}); !errors.Is(err, ErrNotSupported) {
		t.Errorf("CreateGroup: %v, want ErrNotSupported", err)
	}
}

// TestRemoteLostAck: a message whose acknowledgement was lost stays with WhatsApp and comes
// again on the next connection, though the handler took it the first time.
func TestRemoteLostAck(t *testing.T) {
	net, url := serve(t)
	c, _ := pair(t, net, url)
	t.Cleanup(c.Disconnect)
	got := newTexts()
	c.AddEventHandlerWithSuccessStatus(got.handle)
	lost := net.LoseNextAck()
	net.Deliver(me, wafake.Incoming(alice, alice, "Alice", wafake.Text("twice")))
	if s := got.next(t); s != "twice" {
		t.Fatalf("took %q, want twice", s)
	}
	select {
	case <-lost:
	case <-time.After(patient):
		t.Fatal("no acknowledgement was lost")
	}
	if n := net.Pending(me); n != 1 {
		t.Fatalf("Pending = %d with the acknowledgement lost, want 1", n)
	}
	// The stream ends (the process died); the next connection gets the message again.
	c.mu.Lock()
	stop := c.stream
	c.stream = nil
	c.mu.Unlock()
	stop()
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if s := got.next(t); s != "twice" {
		t.Errorf("redelivered %q, want twice", s)
	}
	waitEmpty := time.Now().Add(patient)
	for net.Pending(me) != 0 && time.Now().Before(waitEmpty) {
		time.Sleep(5 * time.Millisecond)
	}
	if n, r := net.Pending(me), net.Redelivered(); n != 0 || r != 1 {
		t.Errorf("Pending %d, Redelivered %d after the redelivery; want 0, 1", n, r)
	}
}
