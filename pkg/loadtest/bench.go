package loadtest

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Options configure one bench run of one bridge.
type Options struct {
	Target Target
	// User is the Matrix user the Target's chats belong to; Peer is a second plain Matrix user
	// for the homeserver-alone baseline. Both are real users of the same homeserver.
	User, Peer *mautrix.Client
	// Samples is the number of one-at-a-time latency samples per direction (default 100).
	Samples int
	// Messages per direction in the throughput runs (default 1,000), spread over Portals
	// chats (default 10) with one sender per chat.
	Messages, Portals int
	// Wait bounds the wait for any one message (default 30 s).
	Wait time.Duration
	// Log receives progress lines (optional).
	Log func(format string, args ...any)
}

func (o *Options) defaults() {
	if o.Samples <= 0 {
		o.Samples = 100
	}
	if o.Messages <= 0 {
		o.Messages = 1000
	}
	if o.Portals <= 0 {
		o.Portals = 10
	}
	if o.Wait <= 0 {
		o.Wait = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
}

// Bench measures latency and throughput through the bridge both ways and, in the same run,
// the homeserver alone with plain clients. Latency samples of the three paths are interleaved
// so that the machine's noise falls on all of them alike.
func Bench(ctx context.Context, o Options) (Result, error) {
	o.defaults()
	r := Result{Bridge: o.Target.Name(), Messages: o.Messages, Portals: o.Portals}
	userSees, err := Watch(o.User)
	if err != nil {
		return r, err
	}
	defer userSees.Close()
	peerSees, err := Watch(o.Peer)
	if err != nil {
		return r, err
	}
	defer peerSees.Close()
	netSees := watchArrivals(o.Target.Arrivals())

	chats, err := o.Target.Chats(ctx, o.Portals)
	if err != nil {
		return r, fmt.Errorf("prepare chats: %w", err)
	}
	rooms, err := plainRooms(ctx, o.User, o.Peer, o.Portals)
	if err != nil {
		return r, err
	}
	run := fmt.Sprintf("%s-%d", r.Bridge, time.Now().UnixNano())
	p := paths{o: o, run: run, chats: chats, rooms: rooms, user: userSees, peer: peerSees, net: netSees}

	o.Log("%s: %d latency samples per path", r.Bridge, o.Samples)
	lat := [3][]time.Duration{}
	for i := range o.Samples {
		for k, send := range []path{p.baseline, p.toMatrix, p.toNetwork} {
			d, err := p.latency(ctx, send, i)
			if err != nil {
				return r, fmt.Errorf("latency sample: %w", err)
			}
			lat[k] = append(lat[k], d)
		}
	}
	r.Baseline, r.ToMatrix, r.ToNetwork = Summarize(lat[0]), Summarize(lat[1]), Summarize(lat[2])

	o.Log("%s: throughput, %d messages per path over %d chats", r.Bridge, o.Messages, o.Portals)
	if r.BaselineRate, err = p.rate(ctx, p.baseline); err != nil {
		return r, fmt.Errorf("baseline throughput: %w", err)
	}
	if r.ToMatrixRate, err = p.rate(ctx, p.toMatrix); err != nil {
		return r, fmt.Errorf("network→Matrix throughput: %w", err)
	}
	if r.ToNetworkRate, err = p.rate(ctx, p.toNetwork); err != nil {
		return r, fmt.Errorf("Matrix→network throughput: %w", err)
	}
	if n := netSees.duplicates(); n > 0 {
		return r, fmt.Errorf("the fake network received %d messages twice", n)
	}
	return r, nil
}

// paths sends one message along each measured path and says when it arrived.
type paths struct {
	o          Options
	run        string
	chats      []Chat
	rooms      []id.RoomID
	user, peer *Watcher
	net        *firstSeen
}

// path sends the i-th message of a kind ("lat", "rate") along one path and returns a channel
// that receives its arrival time.
type path func(ctx context.Context, i int, kind string) (<-chan time.Time, error)

// baseline: one plain client sends, the other one's /sync sees it; no bridge.
func (p paths) baseline(ctx context.Context, i int, kind string) (<-chan time.Time, error) {
	body := fmt.Sprintf("%s-base-%s-%d", kind, p.run, i)
	seen := p.peer.Expect(body)
	return seen, sendText(ctx, p.o.User, p.rooms[i%len(p.rooms)], body)
}

// toMatrix: the fake network emits, the user's /sync sees it in the portal.
func (p paths) toMatrix(ctx context.Context, i int, kind string) (<-chan time.Time, error) {
	body := fmt.Sprintf("%s-in-%s-%d", kind, p.run, i)
	seen := p.user.Expect(body)
	if err := p.chats[i%len(p.chats)].Emit(ctx, body); err != nil {
		return nil, fmt.Errorf("emit %s: %w", body, err)
	}
	return seen, nil
}

// toNetwork: the user sends in the portal, the fake network receives it.
func (p paths) toNetwork(ctx context.Context, i int, kind string) (<-chan time.Time, error) {
	body := fmt.Sprintf("%s-out-%s-%d", kind, p.run, i)
	seen := p.net.Expect(body)
	return seen, sendText(ctx, p.o.User, p.chats[i%len(p.chats)].Room(), body)
}

// latency sends one message along a path and waits for it.
func (p paths) latency(ctx context.Context, send path, i int) (time.Duration, error) {
	start := time.Now()
	seen, err := send(ctx, i, "lat")
	if err != nil {
		return 0, err
	}
	at, err := p.await(seen, i)
	return at.Sub(start), err
}

func (p paths) await(seen <-chan time.Time, i int) (time.Time, error) {
	select {
	case at := <-seen:
		return at, nil
	case <-time.After(p.o.Wait):
		return time.Time{}, fmt.Errorf("message %d did not arrive within %s", i, p.o.Wait)
	}
}

// rate sends Messages along a path with one sender per chat, each sending its share back to
// back, and returns messages per second from the first send to the last arrival.
func (p paths) rate(ctx context.Context, send path) (float64, error) {
	per := p.o.Messages / p.o.Portals
	arrived := make([]time.Time, per*p.o.Portals)
	start := time.Now()
	g, ctx := errgroup.WithContext(ctx)
	for c := range p.o.Portals {
		g.Go(func() error {
			seen := make([]<-chan time.Time, per)
			for k := range per {
				// i%Portals == c: every message of this sender goes to chat (or room) c.
				ch, err := send(ctx, c+k*p.o.Portals, "rate")
				if err != nil {
					return err
				}
				seen[k] = ch
			}
			for k, ch := range seen {
				at, err := p.await(ch, c+k*p.o.Portals)
				if err != nil {
					return err
				}
				arrived[c+k*p.o.Portals] = at
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	last := start
	for _, at := range arrived {
		if at.After(last) {
			last = at
		}
	}
	return float64(len(arrived)) / last.Sub(start).Seconds(), nil
}

// sendText sends a plain text message as cli. The transaction ID comes from the body (bodies
// are unique), so a send retried after an error the homeserver answered too late for is the
// same event, as a Matrix client's retry is.
func sendText(ctx context.Context, cli *mautrix.Client, room id.RoomID, body string) error {
	_, err := cli.SendMessageEvent(ctx, room, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgText, Body: body},
		mautrix.ReqSendEvent{TransactionID: "mxbload-" + body})
	if err != nil {
		return fmt.Errorf("send %s to %s: %w", body, room, err)
	}
	return nil
}

// plainRooms makes n rooms in which user and peer are both joined: the baseline's chats.
func plainRooms(ctx context.Context, user, peer *mautrix.Client, n int) ([]id.RoomID, error) {
	rooms := make([]id.RoomID, n)
	for i := range rooms {
		resp, err := user.CreateRoom(ctx, &mautrix.ReqCreateRoom{Invite: []id.UserID{peer.UserID}, Preset: "private_chat"})
		if err != nil {
			return nil, fmt.Errorf("create baseline room: %w", err)
		}
		if _, err = peer.JoinRoomByID(ctx, resp.RoomID); err != nil {
			return nil, fmt.Errorf("join baseline room: %w", err)
		}
		rooms[i] = resp.RoomID
	}
	return rooms, nil
}
