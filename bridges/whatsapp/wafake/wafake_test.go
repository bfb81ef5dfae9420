package wafake_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

const (
	short   = 50 * time.Millisecond // how long to wait for something that must not happen
	patient = 5 * time.Second       // how long to wait for something that must happen
)

var (
	me    = wafake.User("4917000000000")
	alice = wafake.User("4915112345678")
	group = types.NewJID("120363000000000000", types.GroupServer)
)

// newContainer is a real whatsmeow device store in a temporary SQLite database.
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

// newClient is an unpaired, unconnected fake client on net with a fresh device.
func newClient(t *testing.T, net *wafake.Network) (*wafake.Client, *sqlstore.Container) {
	t.Helper()
	container := newContainer(t)
	c, ok := net.NewClient(container.NewDevice(), nil).(*wafake.Client)
	if !ok {
		t.Fatal("NewClient did not return a *wafake.Client")
	}
	return c, container
}

// pairedClient is a client paired as me and connected.
func pairedClient(t *testing.T, net *wafake.Network) (*wafake.Client, *sqlstore.Container) {
	t.Helper()
	c, container := newClient(t, net)
	ctx := context.Background()
	if _, err := c.GetQRChannel(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if err := c.Pair(ctx, me, "Me"); err != nil {
		t.Fatal(err)
	}
	return c, container
}

// recorder collects the events a handler receives.
type recorder struct {
	mu     sync.Mutex
	events []any
}

func (r *recorder) handle(evt any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, evt)
}

func (r *recorder) get() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.events...)
}

func recv(t *testing.T, ch <-chan whatsmeow.QRChannelItem) (whatsmeow.QRChannelItem, bool) {
	t.Helper()
	select {
	case item, ok := <-ch:
		return item, ok
	case <-time.After(patient):
		t.Fatal("nothing on the QR channel")
		return whatsmeow.QRChannelItem{}, false
	}
}

func TestNewClientIsLatest(t *testing.T) {
	net := wafake.New()
	if net.Latest() != nil {
		t.Fatal("Latest on an empty network is not nil")
	}
	device := newContainer(t).NewDevice()
	var newFunc wa.NewFunc = net.NewClient
	client := newFunc(device, nil)
	c, ok := client.(*wafake.Client)
	if !ok {
		t.Fatalf("NewClient returned %T, want *wafake.Client", client)
	}
	if c.Device != device {
		t.Error("client does not hold the device it was given")
	}
	if net.Latest() != c {
		t.Error("Latest is not the new client")
	}
	c2, _ := newClient(t, net)
	if net.Latest() != c2 || c2 == c {
		t.Error("Latest is not the newest of two clients")
	}
	if c.IsConnected() || c.IsLoggedIn() {
		t.Error("a new client is connected or logged in")
	}
}

func TestWaitLatest(t *testing.T) {
	net := wafake.New()
	if c, err := net.WaitLatest(nil, short); err == nil || c != nil {
		t.Fatalf("WaitLatest on an empty network = %v, %v; want a timeout", c, err)
	}
	c1, _ := newClient(t, net)
	if c, err := net.WaitLatest(nil, short); err != nil || c != c1 {
		t.Fatalf("WaitLatest(nil) = %v, %v; want the existing client", c, err)
	}
	start := time.Now()
	if c, err := net.WaitLatest(c1, short); err == nil || c != nil {
		t.Fatalf("WaitLatest(c1) with no newer client = %v, %v; want a timeout", c, err)
	}
	if waited := time.Since(start); waited < short {
		t.Errorf("WaitLatest gave up after %s, before its %s timeout", waited, short)
	}

	container := newContainer(t)
	made := make(chan *wafake.Client, 1)
	go func() {
		time.Sleep(30 * time.Millisecond)
		made <- net.NewClient(container.NewDevice(), nil).(*wafake.Client)
	}()
	c, err := net.WaitLatest(c1, patient)
	if err != nil {
		t.Fatalf("WaitLatest: %v", err)
	}
	if c2 := <-made; c != c2 {
		t.Error("WaitLatest did not return the client created meanwhile")
	}
}

func TestQRChannel(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, wafake.New())
	if err := c.ShowQR("too early"); err == nil {
		t.Error("ShowQR without a pairing channel succeeded")
	}
	qr, err := c.GetQRChannel(ctx)
	if err != nil || qr == nil {
		t.Fatalf("GetQRChannel before Connect = %v, %v", qr, err)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if !c.IsConnected() || c.IsLoggedIn() {
		t.Errorf("after Connect: connected %v logged in %v; want connected, not logged in", c.IsConnected(), c.IsLoggedIn())
	}
	if _, err := c.GetQRChannel(ctx); !errors.Is(err, whatsmeow.ErrQRAlreadyConnected) {
		t.Errorf("GetQRChannel after Connect: %v, want ErrQRAlreadyConnected", err)
	}
	for _, code := range []string{"2@first", "2@second"} {
		if err := c.ShowQR(code); err != nil {
			t.Fatalf("ShowQR: %v", err)
		}
		item, ok := recv(t, qr)
		if !ok || item.Event != "code" || item.Code != code || item.Timeout <= 0 {
			t.Errorf("QR item = %+v (open %v), want code %q with a timeout", item, ok, code)
		}
	}
}

func TestPair(t *testing.T) {
	ctx := context.Background()
	c, container := newClient(t, wafake.New())
	rec := &recorder{}
	c.AddEventHandler(rec.handle)
	qr, err := c.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if got := rec.get(); len(got) != 0 {
		t.Fatalf("unpaired Connect emitted %v", got)
	}
	if err := c.ShowQR("2@code"); err != nil {
		t.Fatal(err)
	}
	if err := c.Pair(ctx, me, "My Phone"); err != nil {
		t.Fatalf("Pair: %v", err)
	}

	want := types.NewADJID(me.User, 0, 1)
	if c.Device.ID == nil || *c.Device.ID != want {
		t.Fatalf("Device.ID = %v, want %v", c.Device.ID, want)
	}
	if c.Device.PushName != "My Phone" {
		t.Errorf("PushName = %q", c.Device.PushName)
	}
	saved, err := container.GetDevice(ctx, want)
	if err != nil || saved == nil {
		t.Fatalf("GetDevice(%v) = %v, %v; want the paired device saved", want, saved, err)
	}
	if *saved.ID != want || saved.PushName != "My Phone" {
		t.Errorf("saved device = %v %q", saved.ID, saved.PushName)
	}
	all, err := container.GetAllDevices(ctx)
	if err != nil || len(all) != 1 {
		t.Errorf("GetAllDevices = %d devices, %v; want 1", len(all), err)
	}

	if item, ok := recv(t, qr); !ok || item.Event != "code" || item.Code != "2@code" {
		t.Errorf("first QR item = %+v, want the code", item)
	}
	if item, ok := recv(t, qr); !ok || item != whatsmeow.QRChannelSuccess {
		t.Errorf("second QR item = %+v (open %v), want QRChannelSuccess", item, ok)
	}
	if item, ok := recv(t, qr); ok {
		t.Errorf("QR channel still open after success, got %+v", item)
	}

	got := rec.get()
	if len(got) != 2 {
		t.Fatalf("Pair emitted %d events (%v), want PairSuccess then Connected", len(got), got)
	}
	if ps, ok := got[0].(*events.PairSuccess); !ok || ps.ID != want {
		t.Errorf("first event = %#v, want PairSuccess for %v", got[0], want)
	}
	if _, ok := got[1].(*events.Connected); !ok {
		t.Errorf("second event = %#v, want Connected", got[1])
	}
	if !c.IsLoggedIn() {
		t.Error("not logged in after pairing")
	}
	if _, err := c.GetQRChannel(ctx); !errors.Is(err, whatsmeow.ErrQRStoreContainsID) {
		t.Errorf("GetQRChannel on a paired device: %v, want ErrQRStoreContainsID", err)
	}
	if err := c.ShowQR("late"); err == nil {
		t.Error("ShowQR after pairing succeeded")
	}
}

// BUG (wafake/client.go:161-162): Pair writes Device.ID (and PushName, Account) without
// holding the client's lock, while IsLoggedIn (client.go:69, under c.mu), Connect and
// Network.ClientOf (network.go:122, under n.mu) read it. The package promises to be safe for
// concurrent use, but a connector polling IsLoggedIn while the test pairs is a data race that
// "go test -race" reports (run this test without the Skip to see it).
func TestPairConcurrentWithReaders(t *testing.T) {
	ctx := context.Background()
	net := wafake.New()
	c, _ := newClient(t, net)
	if _, err := c.GetQRChannel(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 1000 {
			c.IsLoggedIn()
			net.ClientOf(me)
		}
	}()
	if err := c.Pair(ctx, me, "Me"); err != nil {
		t.Fatal(err)
	}
	<-done
	if !c.IsLoggedIn() || net.ClientOf(me) != c {
		t.Error("not logged in after pairing")
	}
}

func TestClientOf(t *testing.T) {
	net := wafake.New()
	if net.ClientOf(me) != nil {
		t.Fatal("ClientOf on an empty network")
	}
	unpaired, _ := newClient(t, net)
	old, _ := pairedClient(t, net)
	if got := net.ClientOf(me); got != old {
		t.Errorf("ClientOf(me) = %p, want the paired client %p", got, old)
	}
	if got := net.ClientOf(types.NewADJID(me.User, 0, 1)); got != old {
		t.Error("ClientOf with a device JID did not find the client")
	}
	newer, _ := pairedClient(t, net)
	if got := net.ClientOf(me); got != newer || got == unpaired {
		t.Error("ClientOf is not the last client paired as the user")
	}
	if net.ClientOf(alice) != nil {
		t.Error("ClientOf found a client for a user nobody paired as")
	}
}

func TestConnect(t *testing.T) {
	net := wafake.New()
	c, _ := pairedClient(t, net)
	c.Disconnect()
	if c.IsConnected() || c.IsLoggedIn() {
		t.Fatal("still connected after Disconnect")
	}
	rec := &recorder{}
	c.AddEventHandler(rec.handle)
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	if got := rec.get(); len(got) != 1 {
		t.Fatalf("paired Connect emitted %v, want one Connected", got)
	} else if _, ok := got[0].(*events.Connected); !ok {
		t.Errorf("paired Connect emitted %#v, want Connected", got[0])
	}
	if !c.IsLoggedIn() {
		t.Error("not logged in after reconnecting")
	}

	boom := errors.New("no network")
	c.Disconnect()
	net.SetFailConnect(boom)
	if err := c.Connect(); !errors.Is(err, boom) {
		t.Errorf("Connect with FailConnect = %v", err)
	}
	if c.IsConnected() || len(rec.get()) != 1 {
		t.Error("a failed Connect connected or emitted")
	}
}

func TestEmitOrderAndRemove(t *testing.T) {
	c, _ := newClient(t, wafake.New())
	var mu sync.Mutex
	var calls []string
	handler := func(name string) whatsmeow.EventHandler {
		return func(evt any) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, fmt.Sprintf("%s:%v", name, evt))
		}
	}
	ids := map[uint32]bool{}
	var second uint32
	for _, name := range []string{"a", "b", "c", "d"} {
		id := c.AddEventHandler(handler(name))
		if ids[id] {
			t.Fatalf("handler ID %d reused", id)
		}
		ids[id] = true
		if name == "b" {
			second = id
		}
	}
	check := func(want ...string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if fmt.Sprint(calls) != fmt.Sprint(want) {
			t.Errorf("handler calls = %v, want %v", calls, want)
		}
		calls = nil
	}
	c.Emit(1)
	check("a:1", "b:1", "c:1", "d:1")
	if !c.RemoveEventHandler(second) {
		t.Fatal("RemoveEventHandler of a registered handler = false")
	}
	if c.RemoveEventHandler(second) {
		t.Error("RemoveEventHandler twice = true")
	}
	if c.RemoveEventHandler(9999) {
		t.Error("RemoveEventHandler of an unknown ID = true")
	}
	c.Emit(2)
	check("a:2", "c:2", "d:2")
	c.AddEventHandler(handler("e"))
	c.Emit(3)
	check("a:3", "c:3", "d:3", "e:3")
}

func TestEmitDuringHandlerRegistration(t *testing.T) {
	c, _ := newClient(t, wafake.New())
	var count sync.WaitGroup
	rec := &recorder{}
	c.AddEventHandler(rec.handle)
	for i := range 20 {
		count.Add(2)
		go func() {
			defer count.Done()
			c.Emit(i)
		}()
		go func() {
			defer count.Done()
			id := c.AddEventHandler(func(any) {})
			c.RemoveEventHandler(id)
		}()
	}
	count.Wait()
	if got := len(rec.get()); got != 20 {
		t.Errorf("handler saw %d of 20 concurrent events", got)
	}
}

func TestQRTimeout(t *testing.T) {
	ctx := context.Background()
	c, container := newClient(t, wafake.New())
	qr, err := c.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ShowQR("2@only"); err != nil {
		t.Fatal(err)
	}
	if err := c.QRTimeout(); err != nil {
		t.Fatalf("QRTimeout: %v", err)
	}
	if item, ok := recv(t, qr); !ok || item.Code != "2@only" {
		t.Errorf("first item = %+v", item)
	}
	if item, ok := recv(t, qr); !ok || item != whatsmeow.QRChannelTimeout {
		t.Errorf("second item = %+v (open %v), want QRChannelTimeout", item, ok)
	}
	if item, ok := recv(t, qr); ok {
		t.Errorf("QR channel open after timeout, got %+v", item)
	}
	if err := c.QRTimeout(); err == nil {
		t.Error("QRTimeout on a finished channel succeeded")
	}
	if err := c.ShowQR("2@late"); err == nil {
		t.Error("ShowQR on a finished channel succeeded")
	}
	if c.Device.ID != nil {
		t.Error("a timed-out pairing set Device.ID")
	}
	if all, err := container.GetAllDevices(ctx); err != nil || len(all) != 0 {
		t.Errorf("a timed-out pairing saved %d devices (%v)", len(all), err)
	}
	// A new attempt gets a new channel.
	if _, err := c.GetQRChannel(ctx); err != nil {
		t.Errorf("GetQRChannel after a timeout: %v", err)
	}
}

func TestLogout(t *testing.T) {
	ctx := context.Background()
	net := wafake.New()
	unpaired, _ := newClient(t, net)
	if err := unpaired.Logout(ctx); !errors.Is(err, whatsmeow.ErrNotLoggedIn) {
		t.Errorf("Logout of an unpaired client = %v, want ErrNotLoggedIn", err)
	}

	c, container := pairedClient(t, net)
	jid := *c.Device.ID
	if d, err := container.GetDevice(ctx, jid); err != nil || d == nil {
		t.Fatalf("paired device not in the store: %v", err)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if d, err := container.GetDevice(ctx, jid); err != nil || d != nil {
		t.Errorf("GetDevice after Logout = %v, %v; want the device deleted", d, err)
	}
	if c.Device.ID != nil || !c.Device.Deleted {
		t.Errorf("device after Logout: ID %v deleted %v", c.Device.ID, c.Device.Deleted)
	}
	if c.IsConnected() || c.IsLoggedIn() {
		t.Error("still connected after Logout")
	}
	if err := c.Logout(ctx); !errors.Is(err, whatsmeow.ErrNotLoggedIn) {
		t.Errorf("second Logout = %v, want ErrNotLoggedIn", err)
	}
}

func TestPairPhone(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, wafake.New())
	if _, err := c.PairPhone(ctx, "+4917000000000", true, whatsmeow.PairClientChrome, "Chrome (Linux)"); !errors.Is(err, whatsmeow.ErrNotConnected) {
		t.Errorf("PairPhone before Connect = %v, want ErrNotConnected", err)
	}
	if c.PairPhoneNumber() != "" {
		t.Errorf("PairPhoneNumber after a failed PairPhone = %q", c.PairPhoneNumber())
	}
	if _, err := c.GetQRChannel(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	code, err := c.PairPhone(ctx, "+4917000000000", true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil || code == "" {
		t.Fatalf("PairPhone = %q, %v", code, err)
	}
	if c.PairPhoneNumber() != "+4917000000000" {
		t.Errorf("PairPhoneNumber = %q", c.PairPhoneNumber())
	}
}
