package wafake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
)

// Sent is a message the connector sent to WhatsApp.
type Sent struct {
	From    types.JID // the sending device's user JID
	To      types.JID
	ID      types.MessageID
	Message *waE2E.Message
}

// Read is a read receipt the connector sent.
type Read struct {
	Chat, Sender types.JID
	IDs          []types.MessageID
}

// Presence is a chat presence (typing) the connector sent.
type Presence struct {
	Chat  types.JID
	State types.ChatPresence
}

// Network is the fake WhatsApp server: it knows users, groups and media, and records what
// every client sent. Failure hooks let tests make operations fail.
type Network struct {
	mu      sync.Mutex
	clients []*Client
	media   map[string][]byte
	users   map[types.JID]types.UserInfo
	groups  map[types.JID]*types.GroupInfo
	phones  map[string]bool
	timers  map[types.JID]time.Duration
	// pictures and the CDN that serves them: see picture.go.
	pictures map[types.JID]picture
	server   *httptest.Server

	sent      chan Sent
	reads     chan Read
	presences chan Presence

	// FailSend, if set, decides whether a send fails (return the error) before it is recorded.
	FailSend func(to types.JID, msg *waE2E.Message) error
	// FailUpload and FailDownload, if set, are returned by every upload or download.
	FailUpload, FailDownload error
	// failConnect, if set, is returned by Connect (see SetFailConnect).
	failConnect error

	// dropped: the network's connections are cut (drop.go).
	dropped bool
	// wake is closed and replaced whenever a mailbox may be able to deliver (mailbox.go).
	wake chan struct{}
	mail map[types.JID]*mailbox
	// redelivered counts deliveries of a message that was not acknowledged before.
	redelivered int
	// loseAck, if set, is closed when the next message acknowledgement of a remote client is
	// lost (LoseNextAck).
	loseAck chan struct{}
	// sentIDs are the message IDs every sender used, and repeated counts the sends dropped
	// because their sender had used the ID before.
	sentIDs  map[sentKey]bool
	repeated int
	// hold, if set, makes the next recorded send wait for its release before it answers.
	hold *hold
}

type sentKey struct {
	from types.JID
	id   types.MessageID
}

// SetFailConnect makes every Connect fail with err from now on (nil: succeed again). It is
// safe to call while clients connect.
func (n *Network) SetFailConnect(err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.failConnect = err
}

func (n *Network) connectError() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.dropped {
		return errDropped
	}
	return n.failConnect
}

// New returns an empty network whose outboxes each hold up to 65536 entries.
func New() *Network {
	return &Network{
		media:     map[string][]byte{},
		users:     map[types.JID]types.UserInfo{},
		groups:    map[types.JID]*types.GroupInfo{},
		phones:    map[string]bool{},
		timers:    map[types.JID]time.Duration{},
		pictures:  map[types.JID]picture{},
		sent:      make(chan Sent, 65536),
		reads:     make(chan Read, 65536),
		presences: make(chan Presence, 65536),
		wake:      make(chan struct{}),
		mail:      map[types.JID]*mailbox{},
		sentIDs:   map[sentKey]bool{},
	}
}

// NewClient is a wa.NewFunc: give it to the connector instead of wa.New.
func (n *Network) NewClient(device *store.Device, log waLog.Logger) wa.Client {
	c := &Client{
		net:      n,
		Device:   device,
		builder:  whatsmeow.NewClient(device, log),
		handlers: map[uint32]whatsmeow.EventHandlerWithSuccessStatus{},
	}
	n.addClient(c)
	return c
}

func (n *Network) addClient(c *Client) {
	n.mu.Lock()
	n.clients = append(n.clients, c)
	n.mu.Unlock()
}

// Latest returns the most recently created client (the one a login in progress uses), or nil.
func (n *Network) Latest() *Client {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.clients) == 0 {
		return nil
	}
	return n.clients[len(n.clients)-1]
}

// WaitLatest waits until a client newer than `after` exists and returns it.
func (n *Network) WaitLatest(after *Client, timeout time.Duration) (*Client, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if c := n.Latest(); c != nil && c != after {
			return c, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil, fmt.Errorf("no new WhatsApp client within %s", timeout)
}

// ClientOf returns the live (last created) client whose device is paired as user.
func (n *Network) ClientOf(user types.JID) *Client {
	n.mu.Lock()
	defer n.mu.Unlock()
	clients := append([]*Client(nil), n.clients...)
	n.mu.Unlock()
	defer n.mu.Lock()
	for i := len(clients) - 1; i >= 0; i-- {
		if own, ok := clients[i].paired(); ok && own == user.ToNonAD() {
			return clients[i]
		}
	}
	return nil
}

// AddUser registers a WhatsApp user: it is on WhatsApp (IsOnWhatsApp) and has user info.
func (n *Network) AddUser(jid types.JID, status string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.users[jid] = types.UserInfo{Status: status}
	n.phones["+"+jid.User] = true
}

// AddGroup makes a group known to GetGroupInfo.
func (n *Network) AddGroup(info *types.GroupInfo) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.groups[info.JID] = info
}

// AddMedia stores bytes on the fake media server, as if a sender had uploaded them, and
// returns the fields an incoming media message needs.
func (n *Network) AddMedia(data []byte) (directPath string, fileSHA256 []byte, mediaKey []byte) {
	sum := sha256.Sum256(data)
	directPath = "/fake/" + hex.EncodeToString(sum[:])
	mediaKey = make([]byte, 32)
	_, _ = rand.Read(mediaKey)
	n.mu.Lock()
	n.media[directPath] = append([]byte(nil), data...)
	n.mu.Unlock()
	return directPath, sum[:], mediaKey
}

// Media returns the bytes stored at a direct path.
func (n *Network) Media(directPath string) ([]byte, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	data, ok := n.media[directPath]
	return data, ok
}

// WaitSent returns the next message any client sent, or an error after timeout.
func (n *Network) WaitSent(timeout time.Duration) (Sent, error) {
	select {
	case s := <-n.sent:
		return s, nil
	case <-time.After(timeout):
		return Sent{}, fmt.Errorf("nothing was sent to WhatsApp within %s", timeout)
	}
}

// WaitRead returns the next read receipt any client sent.
func (n *Network) WaitRead(timeout time.Duration) (Read, error) {
	select {
	case r := <-n.reads:
		return r, nil
	case <-time.After(timeout):
		return Read{}, fmt.Errorf("no read receipt was sent to WhatsApp within %s", timeout)
	}
}

// WaitPresence returns the next chat presence any client sent.
func (n *Network) WaitPresence(timeout time.Duration) (Presence, error) {
	select {
	case p := <-n.presences:
		return p, nil
	case <-time.After(timeout):
		return Presence{}, fmt.Errorf("no chat presence was sent to WhatsApp within %s", timeout)
	}
}

// DrainSent discards everything sent so far and returns how many messages that was.
func (n *Network) DrainSent() int {
	for i := 0; ; i++ {
		select {
		case <-n.sent:
		default:
			return i
		}
	}
}
