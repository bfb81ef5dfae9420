package loadtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Direction is which way a chaos scenario's messages travel.
type Direction int

const (
	ToMatrix Direction = 1 << iota
	ToNetwork
	BothWays = ToMatrix | ToNetwork
)

// Fault breaks something in the middle of a scenario's load.
type Fault struct {
	// Name says what breaks ("kill -9 the bridge").
	Name string
	// Break is called once half the messages are sent. It returns when the fault is in place;
	// Heal, if set, is called after Lasts has passed (the load goes on meanwhile) and returns
	// once the broken part runs again.
	Break func(ctx context.Context) error
	Heal  func(ctx context.Context) error
	Lasts time.Duration
}

// ChaosOptions configure one scenario.
type ChaosOptions struct {
	Target Target
	// User owns the Target's chats; the harness sends as this user and reads its rooms.
	User      *mautrix.Client
	Direction Direction
	// Messages per direction (default 10,000) over Portals chats (default 10).
	Messages, Portals int
	Fault             Fault
	// Settle bounds the wait for the last messages once everything was sent: the wait ends
	// when no message arrived for this long (default 5 min). A bridge still working through a
	// backlog is not cut off, however long the backlog.
	Settle time.Duration
	Log    func(format string, args ...any)
}

// Counts are a scenario's totals: every message is counted on the far side by its body.
type Counts struct {
	Sent, Received, Lost, Duplicated int
	// OutOfOrder counts messages that arrived after a later message of the same chat.
	OutOfOrder int
}

// Add sums counts.
func (c Counts) Add(o Counts) Counts {
	return Counts{c.Sent + o.Sent, c.Received + o.Received, c.Lost + o.Lost, c.Duplicated + o.Duplicated, c.OutOfOrder + o.OutOfOrder}
}

// Line is the last line of `make chaos`.
func (c Counts) Line() string {
	return fmt.Sprintf("chaos: sent=%d received=%d lost=%d duplicated=%d", c.Sent, c.Received, c.Lost, c.Duplicated)
}

// Chaos sends Messages along each chosen direction with one sender per chat, breaks
// something halfway, heals it, waits until every message arrived or none arrived for Settle,
// and counts.
// Senders retry a send that fails while the fault lasts (as a Matrix client or a phone would);
// a message counts as sent once a send of it succeeded.
func Chaos(ctx context.Context, o ChaosOptions) (Counts, error) {
	if o.Messages <= 0 {
		o.Messages = 10000
	}
	if o.Portals <= 0 {
		o.Portals = 10
	}
	if o.Settle <= 0 {
		o.Settle = 5 * time.Minute
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	chats, err := o.Target.Chats(ctx, o.Portals)
	if err != nil {
		return Counts{}, fmt.Errorf("prepare chats: %w", err)
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	got := newTally()
	go func() {
		for a := range o.Target.Arrivals() {
			got.note(a.Body)
		}
	}()

	per := o.Messages / o.Portals
	var sent sync.Map // body → true, for both directions
	var wg sync.WaitGroup
	half := make(chan struct{})
	var halfOnce sync.Once
	var progress sync.WaitGroup
	progress.Add(1)
	var count int64
	var countMu sync.Mutex
	tick := func() {
		countMu.Lock()
		count++
		n := count
		countMu.Unlock()
		total := int64(per * o.Portals)
		if o.Direction == BothWays {
			total *= 2
		}
		if n == total/2 {
			halfOnce.Do(func() { close(half) })
		}
	}
	sendErr := make(chan error, 2*o.Portals)
	for c, chat := range chats {
		for _, dir := range []Direction{ToMatrix, ToNetwork} {
			if o.Direction&dir == 0 {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range per {
					body := chaosBody(run, dir, c, k)
					if err := retry(ctx, o.Settle, func() error { return sendOne(ctx, o.User, chat, dir, body) }); err != nil {
						sendErr <- err
						return
					}
					sent.Store(body, dir)
					tick()
				}
			}()
		}
	}

	// The fault, in the middle of the load.
	faultErr := make(chan error, 1)
	go func() {
		select {
		case <-half:
		case <-ctx.Done():
			faultErr <- ctx.Err()
			return
		}
		o.Log("chaos: %s", o.Fault.Name)
		if o.Fault.Break != nil {
			if err := o.Fault.Break(ctx); err != nil {
				faultErr <- fmt.Errorf("break (%s): %w", o.Fault.Name, err)
				return
			}
		}
		if o.Fault.Heal != nil {
			select {
			case <-time.After(o.Fault.Lasts):
			case <-ctx.Done():
			}
			if err := o.Fault.Heal(ctx); err != nil {
				faultErr <- fmt.Errorf("heal (%s): %w", o.Fault.Name, err)
				return
			}
		}
		faultErr <- nil
	}()
	wg.Wait()
	close(sendErr)
	for err := range sendErr {
		return Counts{}, err
	}
	if err := <-faultErr; err != nil {
		return Counts{}, err
	}
	o.Log("chaos: all sent; waiting for the last arrivals while they keep coming (at most %s without one)", o.Settle)

	var want []string
	sent.Range(func(k, _ any) bool { want = append(want, k.(string)); return true })
	var counts Counts
	received, lastArrival := -1, time.Now()
	for {
		began := time.Now()
		var inMatrix *tally
		if o.Direction&ToMatrix != 0 {
			if inMatrix, err = roomTally(ctx, o.User, chats, run); err != nil {
				return Counts{}, err
			}
		}
		counts = count2(want, run, got, inMatrix)
		if counts.Received > received {
			received, lastArrival = counts.Received, time.Now()
		}
		if counts.Lost == 0 || time.Since(lastArrival) > o.Settle {
			if counts.Lost+counts.Duplicated > 0 {
				o.Log("chaos: lost %v; duplicated %v", firstN(missing(want, got, inMatrix, 0), 20), firstN(missing(want, got, inMatrix, 2), 20))
			}
			return counts, nil
		}
		// Reading every room's history loads the homeserver the bridge is writing to: the
		// bigger the rooms, the longer the pause between two reads.
		time.Sleep(2*time.Second + 2*time.Since(began))
	}
}

// chaosBody names message k of chat c in one direction of one run; bodies sort per chat.
func chaosBody(run string, dir Direction, chat, k int) string {
	way := "in"
	if dir == ToNetwork {
		way = "out"
	}
	return fmt.Sprintf("chaos-%s-%s-c%d-%06d", run, way, chat, k)
}

func sendOne(ctx context.Context, user *mautrix.Client, chat Chat, dir Direction, body string) error {
	if dir == ToMatrix {
		return chat.Emit(ctx, body)
	}
	return sendText(ctx, user, chat.Room(), body)
}

// retry calls f until it succeeds or limit passes.
func retry(ctx context.Context, limit time.Duration, f func() error) error {
	deadline := time.Now().Add(limit)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// tally counts arrivals by body, keeping their order.
type tally struct {
	mu    sync.Mutex
	n     map[string]int
	order []string
}

func newTally() *tally { return &tally{n: map[string]int{}} }

func (t *tally) note(body string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n[body]++
	t.order = append(t.order, body)
}

// roomTally reads every chat's whole history as the user and counts this run's messages.
func roomTally(ctx context.Context, user *mautrix.Client, chats []Chat, run string) (*tally, error) {
	t := newTally()
	prefix := "chaos-" + run + "-in-"
	for _, chat := range chats {
		bodies, err := history(ctx, user, chat.Room())
		if err != nil {
			return nil, err
		}
		for _, b := range bodies {
			if strings.HasPrefix(b, prefix) {
				t.note(b)
			}
		}
	}
	return t, nil
}

// history returns the bodies of a room's messages, oldest first.
func history(ctx context.Context, user *mautrix.Client, room id.RoomID) ([]string, error) {
	var newestFirst []string
	from := ""
	for {
		resp, err := user.Messages(ctx, room, from, "", mautrix.DirectionBackward, nil, 1000)
		if err != nil {
			return nil, fmt.Errorf("read history of %s: %w", room, err)
		}
		for _, evt := range resp.Chunk {
			if evt.Type != event.EventMessage {
				continue
			}
			if body, ok := evt.Content.Raw["body"].(string); ok {
				newestFirst = append(newestFirst, body)
			}
		}
		if resp.End == "" || len(resp.Chunk) == 0 {
			break
		}
		from = resp.End
	}
	out := make([]string, len(newestFirst))
	for i, b := range newestFirst {
		out[len(out)-1-i] = b
	}
	return out, nil
}

// count2 compares what was sent with what each side received.
func count2(want []string, run string, toNet, toMatrix *tally) Counts {
	c := Counts{Sent: len(want)}
	seen := func(body string) int {
		if strings.Contains(body, "-in-") {
			if toMatrix == nil {
				return 0
			}
			return toMatrix.n[body]
		}
		return toNet.n[body]
	}
	toNet.mu.Lock()
	defer toNet.mu.Unlock()
	for _, body := range want {
		switch n := seen(body); {
		case n == 0:
			c.Lost++
		default:
			c.Received++
			c.Duplicated += n - 1
		}
	}
	c.OutOfOrder = outOfOrder(toNet.order, "chaos-"+run+"-out-")
	if toMatrix != nil {
		c.OutOfOrder += outOfOrder(toMatrix.order, "chaos-"+run+"-in-")
	}
	return c
}

// outOfOrder counts bodies of this run that arrived after a later body of the same chat.
func outOfOrder(order []string, prefix string) int {
	last := map[string]string{}
	n := 0
	for _, b := range order {
		if !strings.HasPrefix(b, prefix) {
			continue
		}
		chat := b[:strings.LastIndex(b, "-")]
		if prev, ok := last[chat]; ok && b < prev {
			n++
			continue
		}
		last[chat] = b
	}
	return n
}

// missing returns the sent bodies that arrived exactly n times (n 0: lost) or, for n 2, more
// than once.
func missing(want []string, toNet, toMatrix *tally, n int) []string {
	var out []string
	toNet.mu.Lock()
	defer toNet.mu.Unlock()
	for _, body := range want {
		got := toNet.n[body]
		if strings.Contains(body, "-in-") {
			got = 0
			if toMatrix != nil {
				got = toMatrix.n[body]
			}
		}
		if got == n || (n == 2 && got > 2) {
			out = append(out, body)
		}
	}
	slices.Sort(out)
	return out
}

func firstN(s []string, n int) []string { return s[:min(n, len(s))] }

// Homeserver is what HomeserverDown stops and starts (pkg/synapse's Server).
type Homeserver interface {
	Stop()
	Start(ctx context.Context) error
}

// HomeserverDown is the fault of a homeserver stopped for d and started again.
func HomeserverDown(hs Homeserver, d time.Duration) Fault {
	return Fault{
		Name:  fmt.Sprintf("stop the homeserver for %s", d),
		Break: func(context.Context) error { hs.Stop(); return nil },
		Heal:  hs.Start,
		Lasts: d,
	}
}
