package wafake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"
	"google.golang.org/protobuf/proto"
)

// ServeRemote serves the network on a loopback HTTP server to clients in other processes
// (package wafake/remote), so that a bridge binary can use the fake that lives in the test
// process and survives the binary's kill. Every remote client has a Client here, which tests
// drive as they drive an in-process one (Latest, ClientOf, Pair, Deliver). Close the server
// when done.
func ServeRemote(n *Network) *RemoteServer {
	s := &remoteServer{net: n, clients: map[string]*Client{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /clients", s.create)
	mux.HandleFunc("GET /clients/{id}/events", s.events)
	mux.HandleFunc("POST /clients/{id}/{op}", s.op)
	return &RemoteServer{Server: httptest.NewServer(mux), s: s}
}

// RemoteServer is the HTTP server of ServeRemote; URL is its base URL.
type RemoteServer struct {
	*httptest.Server
	s *remoteServer
}

// Close ends every client's event stream and stops the server.
func (rs *RemoteServer) Close() {
	rs.s.mu.Lock()
	clients := make([]*Client, 0, len(rs.s.clients))
	for _, c := range rs.s.clients {
		clients = append(clients, c)
	}
	rs.s.mu.Unlock()
	for _, c := range clients {
		c.remote.mu.Lock()
		gone := c.remote.gone
		c.remote.mu.Unlock()
		if gone != nil {
			c.remote.close(gone)
		}
	}
	rs.Server.Close()
}

type remoteServer struct {
	net     *Network
	mu      sync.Mutex
	next    int
	clients map[string]*Client
}

// remoteLink is the server's end of one remote client: the stream its frames go down and the
// frames waiting for their acknowledgement.
type remoteLink struct {
	client *Client
	mu     sync.Mutex
	out    chan Frame    // nil while no stream is open
	gone   chan struct{} // closed when the open stream ends
	seq    uint64
	acks   map[uint64]pendingAck
}

// pendingAck is a frame waiting for its acknowledgement.
type pendingAck struct {
	ch   chan bool
	kind string
}

// push sends a frame down the stream and waits for its acknowledgement; false when there is
// no stream or it ends first (the client is gone: what it did not acknowledge, it did not take).
func (l *remoteLink) push(f Frame) bool {
	l.mu.Lock()
	if l.out == nil {
		l.mu.Unlock()
		return false
	}
	l.seq++
	f.Seq = l.seq
	ack := make(chan bool, 1)
	l.acks[f.Seq] = pendingAck{ch: ack, kind: f.Kind}
	out, gone := l.out, l.gone
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.acks, f.Seq)
		l.mu.Unlock()
	}()
	select {
	case out <- f:
	case <-gone:
		return false
	}
	select {
	case ok := <-ack:
		return ok
	case <-gone:
		return false
	}
}

func (l *remoteLink) ack(a Ack) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.acks[a.Seq]
	if !ok {
		return
	}
	if p.kind == FrameMessage {
		if lost := l.client.net.takeLoseAck(); lost != nil {
			close(lost)
			return
		}
	}
	p.ch <- a.OK
}

// open starts a stream, ending the one before.
func (l *remoteLink) open() (<-chan Frame, chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gone != nil {
		close(l.gone)
	}
	l.out, l.gone = make(chan Frame), make(chan struct{})
	return l.out, l.gone
}

// close ends the stream if it is still the open one; the client counts as disconnected.
func (l *remoteLink) close(gone chan struct{}) {
	l.mu.Lock()
	current := l.gone == gone
	if current {
		close(l.gone)
		l.out, l.gone = nil, nil
	}
	l.mu.Unlock()
	if current {
		l.client.mu.Lock()
		l.client.connected = false
		l.client.mu.Unlock()
	}
}

// forward is the only event handler of a remote client's Client: the event goes down the
// stream and the remote handlers' answer comes back.
func (l *remoteLink) forward(evt any) bool {
	var f Frame
	switch e := evt.(type) {
	case *events.Message:
		data, err := proto.Marshal(e.Message)
		if err != nil {
			return false
		}
		info := e.Info
		f = Frame{Kind: FrameMessage, Info: &info, Message: data}
	case *events.Connected:
		f = Frame{Kind: FrameConnected}
	case *events.Disconnected:
		f = Frame{Kind: FrameDisconnected}
	case *events.PairSuccess:
		f = Frame{Kind: FramePairSuccess, JID: e.ID, Platform: e.Platform}
	case *events.LoggedOut:
		f = Frame{Kind: FrameLoggedOut}
	default:
		// Not carried over the wire: the remote fake bridges messages and connection events.
		return true
	}
	return l.push(f)
}

// remoteDevices is the device store of a remote client's Client: saving and deleting the
// device happen in the remote process's own store.
type remoteDevices struct{ link *remoteLink }

func (d remoteDevices) PutDevice(_ context.Context, dev *store.Device) error {
	if dev.ID == nil || !d.link.push(Frame{Kind: FrameDevice, JID: *dev.ID, PushName: dev.PushName}) {
		return fmt.Errorf("save device: the remote client did not take it")
	}
	return nil
}

func (d remoteDevices) DeleteDevice(context.Context, *store.Device) error {
	if !d.link.push(Frame{Kind: FrameDeleteDevice}) {
		return fmt.Errorf("delete device: the remote client did not take it")
	}
	return nil
}

func (s *remoteServer) create(w http.ResponseWriter, r *http.Request) {
	var req NewClientRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	link := &remoteLink{acks: map[uint64]pendingAck{}}
	device := &store.Device{Container: remoteDevices{link}, PushName: req.PushName}
	if !req.Device.IsEmpty() {
		jid := req.Device
		device.ID = &jid
	}
	c := &Client{
		net:      s.net,
		Device:   device,
		builder:  whatsmeow.NewClient(device, waLog.Noop),
		handlers: map[uint32]whatsmeow.EventHandlerWithSuccessStatus{},
		remote:   link,
	}
	link.client = c
	c.AddEventHandlerWithSuccessStatus(link.forward)
	s.mu.Lock()
	s.next++
	id := strconv.Itoa(s.next)
	s.clients[id] = c
	s.mu.Unlock()
	s.net.addClient(c)
	writeJSON(w, NewClientResponse{ID: id})
}

func (s *remoteServer) client(w http.ResponseWriter, r *http.Request) *Client {
	s.mu.Lock()
	c := s.clients[r.PathValue("id")]
	s.mu.Unlock()
	if c == nil {
		writeError(w, http.StatusNotFound, fmt.Errorf("no remote client %q", r.PathValue("id")))
	}
	return c
}

// events streams a client's frames as JSON lines until the client goes away.
func (s *remoteServer) events(w http.ResponseWriter, r *http.Request) {
	c := s.client(w, r)
	if c == nil {
		return
	}
	out, gone := c.remote.open()
	defer c.remote.close(gone)
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	if flusher != nil {
		flusher.Flush()
	}
	enc := json.NewEncoder(w)
	for {
		select {
		case f := <-out:
			if err := enc.Encode(f); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		case <-gone:
			return
		case <-r.Context().Done():
			return
		}
	}
}

// op runs one call of a remote client on its Client.
func (s *remoteServer) op(w http.ResponseWriter, r *http.Request) {
	c := s.client(w, r)
	if c == nil {
		return
	}
	ctx := r.Context()
	var result any
	var err error
	switch r.PathValue("op") {
	case "ack":
		var a Ack
		if err = json.NewDecoder(r.Body).Decode(&a); err == nil {
			c.remote.ack(a)
		}
	case "connect":
		err = c.Connect()
	case "disconnect":
		c.Disconnect()
	case "logout":
		err = c.Logout(ctx)
	case "qr":
		var ch <-chan whatsmeow.QRChannelItem
		if ch, err = c.GetQRChannel(ctx); err == nil {
			go forwardQR(c.remote, ch)
		}
	case "pair-phone":
		var req PairPhoneRequest
		if err = json.NewDecoder(r.Body).Decode(&req); err == nil {
			var code string
			code, err = c.PairPhone(ctx, req.Phone, true, whatsmeow.PairClientChrome, "")
			result = PairPhoneResponse{Code: code}
		}
	case "send":
		result, err = s.send(ctx, c, r)
	case "read":
		var req ReadRequest
		if err = json.NewDecoder(r.Body).Decode(&req); err == nil {
			err = c.MarkRead(ctx, req.IDs, req.Timestamp, req.Chat, req.Sender)
		}
	case "group-info", "picture", "subscribe-presence":
		var req JIDRequest
		if err = json.NewDecoder(r.Body).Decode(&req); err == nil {
			result, err = s.jidCall(ctx, c, r.PathValue("op"), req)
		}
	case "user-info":
		var req UserInfoRequest
		if err = json.NewDecoder(r.Body).Decode(&req); err == nil {
			result, err = c.GetUserInfo(ctx, req.JIDs)
		}
	case "chat-presence":
		var req ChatPresenceRequest
		if err = json.NewDecoder(r.Body).Decode(&req); err == nil {
			err = c.SendChatPresence(ctx, req.JID, req.State, req.Media)
		}
	default:
		writeError(w, http.StatusNotFound, fmt.Errorf("no operation %q", r.PathValue("op")))
		return
	}
	if err != nil {
		writeError(w, http.StatusBadGateway, err)
		return
	}
	writeJSON(w, result)
}

func (s *remoteServer) send(ctx context.Context, c *Client, r *http.Request) (any, error) {
	var req SendRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return nil, fmt.Errorf("read send request: %w", err)
	}
	msg := &waE2E.Message{}
	if err := proto.Unmarshal(req.Message, msg); err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	return c.SendMessage(ctx, req.To, msg, whatsmeow.SendRequestExtra{ID: req.ID})
}

func (s *remoteServer) jidCall(ctx context.Context, c *Client, op string, req JIDRequest) (any, error) {
	switch op {
	case "group-info":
		return c.GetGroupInfo(ctx, req.JID)
	case "picture":
		return c.GetProfilePictureInfo(ctx, req.JID, &whatsmeow.GetProfilePictureParams{})
	default:
		return nil, c.SubscribePresence(ctx, req.JID)
	}
}

// forwardQR sends the pairing channel's items down the stream, in order.
func forwardQR(link *remoteLink, ch <-chan whatsmeow.QRChannelItem) {
	for item := range ch {
		link.push(Frame{Kind: FrameQR, QR: &QRItem{Event: item.Event, Code: item.Code, Timeout: item.Timeout}})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(ErrorResponse{Error: err.Error(), Kind: errorKind(err)})
}
