package wafake

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
)

// Client is one fake WhatsApp device. Tests drive it with ShowQR, Pair and Emit.
type Client struct {
	net *Network
	// Device is the real whatsmeow device store the connector gave this client; Pair saves it.
	Device *store.Device
	// builder is an unconnected real client, used only for its pure message builders.
	builder *whatsmeow.Client

	mu         sync.Mutex
	handlers   map[uint32]whatsmeow.EventHandlerWithSuccessStatus
	nextID     uint32
	connected  bool
	qr         chan whatsmeow.QRChannelItem
	pairPhone  string
	subscribed map[types.JID]bool
	emitMu     sync.Mutex // events are delivered one at a time, in order, like whatsmeow's
	// epoch counts the connections this client made (mailbox.go redelivers on a new one).
	epoch uint64
	// closed: Disconnect was called, so the client does not reconnect by itself (drop.go).
	closed bool
	// remote, for a client a bridge process drives over ServeRemote, is its link (serve.go).
	remote *remoteLink
}

var _ wa.Client = (*Client)(nil)

func (c *Client) Connect() error {
	if err := c.net.connectError(); err != nil {
		return err
	}
	c.mu.Lock()
	c.connected, c.closed = true, false
	c.epoch++
	paired := c.Device.ID != nil
	c.mu.Unlock()
	if paired {
		c.Emit(&events.Connected{})
	}
	// What WhatsApp kept for the device is delivered now.
	c.net.wakeUp()
	return nil
}

func (c *Client) Disconnect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connected, c.closed = false, true
}

// connection returns whether the client is connected and the number of its connection.
func (c *Client) connection() (bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected, c.epoch
}

func (c *Client) IsConnected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected
}

func (c *Client) IsLoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected && c.Device.ID != nil
}

// paired returns the account JID once the device is paired.
func (c *Client) paired() (types.JID, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Device.ID == nil {
		return types.JID{}, false
	}
	return c.Device.ID.ToNonAD(), true
}

// Logout forgets the device on the "server" and locally, like whatsmeow's.
func (c *Client) Logout(ctx context.Context) error {
	if c.Device.ID == nil {
		return whatsmeow.ErrNotLoggedIn
	}
	c.Disconnect()
	if err := c.Device.Delete(ctx); err != nil {
		return fmt.Errorf("delete device: %w", err)
	}
	return nil
}

func (c *Client) AddEventHandlerWithSuccessStatus(handler whatsmeow.EventHandlerWithSuccessStatus) uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	c.handlers[c.nextID] = handler
	return c.nextID
}

// AddEventHandler adds a handler that always succeeds (for tests of the fake itself).
func (c *Client) AddEventHandler(handler whatsmeow.EventHandler) uint32 {
	return c.AddEventHandlerWithSuccessStatus(func(evt any) bool { handler(evt); return true })
}

func (c *Client) RemoveEventHandler(id uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.handlers[id]
	delete(c.handlers, id)
	return ok
}

// Emit delivers an event to every handler, in registration order, and returns when they all
// have; like whatsmeow, one event at a time. It reports whether every handler succeeded.
func (c *Client) Emit(evt any) (handled bool) {
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	c.mu.Lock()
	handlers := make([]whatsmeow.EventHandlerWithSuccessStatus, 0, len(c.handlers))
	for i := uint32(1); i <= c.nextID; i++ {
		if h, ok := c.handlers[i]; ok {
			handlers = append(handlers, h)
		}
	}
	c.mu.Unlock()
	// Like whatsmeow's dispatch: the first handler that fails stops the event, which then
	// stays unacknowledged (WhatsApp would deliver it again).
	for _, h := range handlers {
		if !h(evt) {
			return false
		}
	}
	return true
}

func (c *Client) GetQRChannel(context.Context) (<-chan whatsmeow.QRChannelItem, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.Device.ID != nil:
		return nil, whatsmeow.ErrQRStoreContainsID
	case c.connected:
		return nil, whatsmeow.ErrQRAlreadyConnected
	}
	c.qr = make(chan whatsmeow.QRChannelItem, 16)
	return c.qr, nil
}

// ShowQR sends a QR code down the pairing channel, as WhatsApp does every 20 to 60 seconds.
func (c *Client) ShowQR(code string) error {
	return c.qrItem(whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: code, Timeout: 20 * time.Second}, false)
}

// QRTimeout ends the pairing channel with a timeout, as WhatsApp does after the last code.
func (c *Client) QRTimeout() error {
	return c.qrItem(whatsmeow.QRChannelTimeout, true)
}

func (c *Client) qrItem(item whatsmeow.QRChannelItem, last bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.qr == nil {
		return fmt.Errorf("no pairing channel: GetQRChannel was not called or already finished")
	}
	c.qr <- item
	if last {
		close(c.qr)
		c.qr = nil
	}
	return nil
}

// Pair completes pairing as the phone of user would: the device gets its JID and is saved in
// the connector's real device store, the pairing channel reports success, and the client
// emits PairSuccess and Connected.
func (c *Client) Pair(ctx context.Context, user types.JID, pushName string) error {
	device := user
	device.Device = 1
	c.mu.Lock()
	if c.qr == nil {
		c.mu.Unlock()
		return fmt.Errorf("pair: no pairing channel: GetQRChannel was not called or already finished")
	}
	c.Device.ID = &device
	c.Device.PushName = pushName
	// Real pairing stores the account's signed device identity; the store requires one.
	c.Device.Account = &waAdv.ADVSignedDeviceIdentity{
		Details:             randomBytes(32),
		AccountSignatureKey: randomBytes(32),
		AccountSignature:    randomBytes(64),
		DeviceSignature:     randomBytes(64),
	}
	c.mu.Unlock()
	if err := c.Device.Save(ctx); err != nil {
		return fmt.Errorf("save paired device: %w", err)
	}
	if err := c.qrItem(whatsmeow.QRChannelSuccess, true); err != nil {
		return err
	}
	c.Emit(&events.PairSuccess{ID: device, Platform: "fake"})
	c.Emit(&events.Connected{})
	return nil
}

// PairPhone returns a fixed pairing code and remembers the phone it was asked for.
func (c *Client) PairPhone(_ context.Context, phone string, _ bool, _ whatsmeow.PairClientType, _ string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.connected {
		return "", whatsmeow.ErrNotConnected
	}
	c.pairPhone = phone
	return "FAKE-CODE", nil
}

// PairPhoneNumber is the phone number the last PairPhone call asked for.
func (c *Client) PairPhoneNumber() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pairPhone
}

func (c *Client) SendMessage(_ context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	if !c.IsConnected() || c.net.isDropped() {
		return whatsmeow.SendResponse{}, whatsmeow.ErrNotConnected
	}
	own, paired := c.paired()
	if !paired {
		return whatsmeow.SendResponse{}, whatsmeow.ErrNotLoggedIn
	}
	if f := c.net.FailSend; f != nil {
		if err := f(to, message); err != nil {
			return whatsmeow.SendResponse{}, err
		}
	}
	id := c.builder.GenerateMessageID()
	if len(extra) > 0 && extra[0].ID != "" {
		id = extra[0].ID
	}
	resp := whatsmeow.SendResponse{ID: id, Timestamp: time.Now(), Sender: own}
	if !c.net.firstUse(own, id) {
		// WhatsApp keeps one message per sender and ID: a repeat is answered, not delivered.
		return resp, nil
	}
	c.net.sent <- Sent{From: own, To: to, ID: id, Message: message}
	c.net.holdAnswer()
	return resp, nil
}

func (c *Client) BuildEdit(chat types.JID, id types.MessageID, newContent *waE2E.Message) *waE2E.Message {
	return c.builder.BuildEdit(chat, id, newContent)
}

func (c *Client) BuildRevoke(chat, sender types.JID, id types.MessageID) *waE2E.Message {
	return c.builder.BuildRevoke(chat, sender, id)
}

func (c *Client) BuildReaction(chat, sender types.JID, id types.MessageID, reaction string) *waE2E.Message {
	return c.builder.BuildReaction(chat, sender, id, reaction)
}

func (c *Client) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, chat, sender types.JID, _ ...types.ReceiptType) error {
	c.net.reads <- Read{Chat: chat, Sender: sender, IDs: ids}
	return nil
}

// SubscribePresence records that the connector asked for a contact's presence.
func (c *Client) SubscribePresence(_ context.Context, jid types.JID) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subscribed == nil {
		c.subscribed = map[types.JID]bool{}
	}
	c.subscribed[jid.ToNonAD()] = true
	return nil
}

// Subscribed reports whether the connector subscribed to a contact's presence.
func (c *Client) Subscribed(jid types.JID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.subscribed[jid.ToNonAD()]
}

func (c *Client) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	c.net.presences <- Presence{Chat: jid, State: state}
	return nil
}

func (c *Client) Upload(_ context.Context, plaintext []byte, _ whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	if err := c.net.FailUpload; err != nil {
		return whatsmeow.UploadResponse{}, err
	}
	path, sum, key := c.net.AddMedia(plaintext)
	enc := sha256.Sum256(append(append([]byte(nil), key...), plaintext...))
	return whatsmeow.UploadResponse{
		URL:           "https://mmg.fake.invalid" + path,
		DirectPath:    path,
		MediaKey:      key,
		FileEncSHA256: enc[:],
		FileSHA256:    sum,
		FileLength:    uint64(len(plaintext)),
	}, nil
}

func (c *Client) Download(_ context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error) {
	if err := c.net.FailDownload; err != nil {
		return nil, err
	}
	data, ok := c.net.Media(msg.GetDirectPath())
	if !ok {
		return nil, whatsmeow.ErrMediaDownloadFailedWith404
	}
	return data, nil
}

func (c *Client) GetGroupInfo(_ context.Context, jid types.JID) (*types.GroupInfo, error) {
	c.net.mu.Lock()
	defer c.net.mu.Unlock()
	info, ok := c.net.groups[jid]
	if !ok {
		return nil, whatsmeow.ErrGroupNotFound
	}
	copied := *info
	copied.Participants = append([]types.GroupParticipant(nil), info.Participants...)
	return &copied, nil
}

func (c *Client) GetUserInfo(_ context.Context, jids []types.JID) (map[types.JID]types.UserInfo, error) {
	c.net.mu.Lock()
	defer c.net.mu.Unlock()
	out := map[types.JID]types.UserInfo{}
	for _, jid := range jids {
		if info, ok := c.net.users[jid.ToNonAD()]; ok {
			out[jid] = info
		}
	}
	return out, nil
}

func (c *Client) IsOnWhatsApp(_ context.Context, phones []string) ([]types.IsOnWhatsAppResponse, error) {
	c.net.mu.Lock()
	defer c.net.mu.Unlock()
	out := make([]types.IsOnWhatsAppResponse, 0, len(phones))
	for _, phone := range phones {
		digits := phone
		if len(digits) > 0 && digits[0] == '+' {
			digits = digits[1:]
		}
		out = append(out, types.IsOnWhatsAppResponse{
			Query: phone,
			JID:   types.NewJID(digits, types.DefaultUserServer),
			IsIn:  c.net.phones["+"+digits],
		})
	}
	return out, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
