package remote

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

// ErrNotSupported is what the methods the remote fake does not carry return.
var ErrNotSupported = errors.New("not supported by the remote fake WhatsApp")

// callTimeout bounds every call but the event stream.
const callTimeout = 30 * time.Second

// Client is one device on a remote fake network. Its device store is the bridge's own: the
// server asks it to save the device when pairing completes and to delete it on logout.
type Client struct {
	base    string
	http    *http.Client
	device  *store.Device
	log     waLog.Logger
	builder *whatsmeow.Client

	mu        sync.Mutex
	id        string // the server's name for this client, once created
	handlers  map[uint32]whatsmeow.EventHandlerWithSuccessStatus
	nextID    uint32
	connected bool
	closed    bool // Disconnect was called: no automatic reconnect
	stream    context.CancelFunc
	qr        chan whatsmeow.QRChannelItem
}

var _ wa.Client = (*Client)(nil)

// NewFunc returns a wa.NewFunc whose clients reach the fake served at url.
func NewFunc(url string) wa.NewFunc {
	return func(device *store.Device, log waLog.Logger) wa.Client { return New(url, device, log) }
}

// New returns a client of device on the fake served at url. It does no I/O until used.
func New(url string, device *store.Device, log waLog.Logger) *Client {
	return &Client{
		base:     strings.TrimRight(url, "/"),
		http:     &http.Client{},
		device:   device,
		log:      log,
		builder:  whatsmeow.NewClient(device, log),
		handlers: map[uint32]whatsmeow.EventHandlerWithSuccessStatus{},
	}
}

// call POSTs req (nil: no body) to the client's operation op and decodes the answer into resp
// (nil: ignore it).
func (c *Client) call(ctx context.Context, op string, req, resp any) error {
	id, err := c.session(ctx)
	if err != nil {
		return err
	}
	return c.post(ctx, "/clients/"+id+"/"+op, req, resp)
}

func (c *Client) post(ctx context.Context, path string, req, resp any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var body bytes.Buffer
	if req != nil {
		if err := json.NewEncoder(&body).Encode(req); err != nil {
			return fmt.Errorf("encode %s request: %w", path, err)
		}
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, &body)
	if err != nil {
		return fmt.Errorf("build %s request: %w", path, err)
	}
	hr.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(hr)
	if err != nil {
		return fmt.Errorf("call fake WhatsApp %s: %w", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		var e wafake.ErrorResponse
		if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
			return fmt.Errorf("call fake WhatsApp %s: status %d", path, res.StatusCode)
		}
		return wafake.RemoteError(e)
	}
	if resp == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(resp); err != nil {
		return fmt.Errorf("read fake WhatsApp %s answer: %w", path, err)
	}
	return nil
}

// session creates the server's side of this client once and returns its name.
func (c *Client) session(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.id
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	req := wafake.NewClientRequest{PushName: c.device.PushName}
	if c.device.ID != nil {
		req.Device = *c.device.ID
	}
	var resp wafake.NewClientResponse
	if err := c.post(ctx, "/clients", req, &resp); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.id == "" {
		c.id = resp.ID
	}
	return c.id, nil
}

func (c *Client) Connect() error {
	ctx := context.Background()
	if err := c.openStream(ctx); err != nil {
		return err
	}
	if err := c.call(ctx, "connect", nil, nil); err != nil {
		return err
	}
	c.mu.Lock()
	c.connected, c.closed = true, false
	c.mu.Unlock()
	return nil
}

func (c *Client) Disconnect() {
	c.mu.Lock()
	c.connected, c.closed = false, true
	stop := c.stream
	c.stream = nil
	id := c.id
	c.mu.Unlock()
	if id != "" {
		if err := c.post(context.Background(), "/clients/"+id+"/disconnect", nil, nil); err != nil {
			c.log.Warnf("Failed to disconnect from the fake WhatsApp: %v", err)
		}
	}
	if stop != nil {
		stop()
	}
}

func (c *Client) IsConnected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected
}

func (c *Client) IsLoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected && c.device.ID != nil
}

func (c *Client) Logout(ctx context.Context) error {
	if c.device.ID == nil {
		return whatsmeow.ErrNotLoggedIn
	}
	err := c.call(ctx, "logout", nil, nil)
	c.Disconnect()
	return err
}

func (c *Client) AddEventHandlerWithSuccessStatus(handler whatsmeow.EventHandlerWithSuccessStatus) uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	c.handlers[c.nextID] = handler
	return c.nextID
}

func (c *Client) RemoveEventHandler(id uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.handlers[id]
	delete(c.handlers, id)
	return ok
}

// dispatch runs the handlers in registration order; the first that fails stops the event.
func (c *Client) dispatch(evt any) bool {
	c.mu.Lock()
	handlers := make([]whatsmeow.EventHandlerWithSuccessStatus, 0, len(c.handlers))
	for i := uint32(1); i <= c.nextID; i++ {
		if h, ok := c.handlers[i]; ok {
			handlers = append(handlers, h)
		}
	}
	c.mu.Unlock()
	for _, h := range handlers {
		if !h(evt) {
			return false
		}
	}
	return true
}

func (c *Client) GetQRChannel(ctx context.Context) (<-chan whatsmeow.QRChannelItem, error) {
	if c.device.ID != nil {
		return nil, whatsmeow.ErrQRStoreContainsID
	}
	if err := c.openStream(ctx); err != nil {
		return nil, err
	}
	ch := make(chan whatsmeow.QRChannelItem, 16)
	c.mu.Lock()
	c.qr = ch
	c.mu.Unlock()
	if err := c.call(ctx, "qr", nil, nil); err != nil {
		return nil, err
	}
	return ch, nil
}

func (c *Client) PairPhone(ctx context.Context, phone string, _ bool, _ whatsmeow.PairClientType, _ string) (string, error) {
	var resp wafake.PairPhoneResponse
	if err := c.call(ctx, "pair-phone", wafake.PairPhoneRequest{Phone: phone}, &resp); err != nil {
		return "", err
	}
	return resp.Code, nil
}

// savePaired stores the device the server paired, as whatsmeow does on PairSuccess.
func (c *Client) savePaired(jid types.JID, pushName string) error {
	c.device.ID = &jid
	c.device.PushName = pushName
	// Real pairing stores the account's signed device identity; the store requires one.
	c.device.Account = &waAdv.ADVSignedDeviceIdentity{
		Details:             randomBytes(32),
		AccountSignatureKey: randomBytes(32),
		AccountSignature:    randomBytes(64),
		DeviceSignature:     randomBytes(64),
	}
	if err := c.device.Save(context.Background()); err != nil {
		return fmt.Errorf("save paired device: %w", err)
	}
	return nil
}

// autoReconnect is whatsmeow's automatic reconnect after an unexpected disconnect: after 0, 2,
// 4, ... seconds, until a Connect succeeds or Disconnect is called.
func (c *Client) autoReconnect() {
	for errs := 0; ; errs++ {
		time.Sleep(time.Duration(errs) * 2 * time.Second)
		c.mu.Lock()
		closed, connected := c.closed, c.connected
		c.mu.Unlock()
		if closed || connected {
			return
		}
		if err := c.Connect(); err == nil {
			return
		} else {
			c.log.Debugf("Reconnecting to the fake WhatsApp failed: %v", err)
		}
	}
}

// lost marks the connection gone without Disconnect: the handlers hear of it and the client
// reconnects by itself.
func (c *Client) lost() {
	c.mu.Lock()
	was, closed := c.connected, c.closed
	c.connected = false
	c.mu.Unlock()
	if !was || closed {
		return
	}
	c.dispatch(&events.Disconnected{})
	go c.autoReconnect()
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// readLines decodes the stream's frames until it ends.
func readLines(r io.Reader, each func(wafake.Frame)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var f wafake.Frame
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			return fmt.Errorf("read frame: %w", err)
		}
		each(f)
	}
	return sc.Err()
}
