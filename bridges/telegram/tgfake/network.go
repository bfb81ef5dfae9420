package tgfake

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgtest"
	"github.com/gotd/td/tgtest/cluster"
)

// DCID is the data centre the fake serves.
const DCID = 2

// Account is a Telegram account that can log in.
type Account struct {
	User *tg.User
	// Code is the login code Telegram "sends" to the phone.
	Code string
	// Password, when set, is the account's two-step-verification password.
	Password string
}

// Sent is a message the bridge sent to Telegram.
type Sent struct {
	From, To int64
	ID       int
	Text     string
	// ReplyTo is the message this one answers (0 for none); TopMsgID the forum topic it was
	// sent in when it answers another message of the topic.
	ReplyTo, TopMsgID int
	// Kind is "message", "media", "edit", "delete", "read", "typing", "reaction" or "vote"; IDs lists what a delete
	// removed; for "read", ID is the last message read; for "typing", Typing says which.
	Kind   string
	IDs    []int
	Typing bool
	// Entities is the formatting the bridge sent with the text.
	Entities []tg.MessageEntityClass
	// ToChat is the basic group a message went to (0 for private chats); ToChannel the
	// supergroup or channel.
	ToChat, ToChannel int64
	// Reactions is, for Kind "reaction", the emoji the account now has on message ID (none
	// when it took its reaction back).
	Reactions []string
	// For Kind "media" (messages.sendMedia; Text is the caption): Media is "photo",
	// "document" or "geo", Data the uploaded bytes, MimeType the document's type ("image/jpeg" for
	// photos), Attributes the document's attributes, which FileName and Voice summarise.
	Media string
	// For Media "geo" (a map point): its coordinates and accuracy radius in metres (0: none).
	Lat, Long      float64
	AccuracyRadius int
	Data           []byte
	MimeType       string
	FileName       string
	Voice          bool
	Attributes     []tg.DocumentAttributeClass
	// For Media "poll": the question, the answers' texts and their option bytes, and whether
	// several answers may be chosen. For Kind "vote" (messages.sendVote on poll message ID):
	// Options are the chosen options (none takes the vote back), To or ToChat the poll's chat.
	Question       string
	Answers        []string
	Options        [][]byte
	MultipleChoice bool
}

// Network is the fake Telegram. It is safe for concurrent use.
type Network struct {
	// QRLifetime is how long a login QR code stays valid (default 30 s).
	QRLifetime time.Duration
	// floodSends makes the next sends answer FLOOD_WAIT (see FloodWaitNextSends).
	floodSends, floodSeconds int
	// dropUploads is how many uploads end the connection (see DropConnectionOnNextUpload).
	dropUploads, dropped int

	cluster *cluster.Cluster
	server  *tgtest.Server
	stop    context.CancelFunc

	mu          sync.Mutex
	accounts    map[string]*Account       // phone → account
	bound       map[[8]byte]int64         // auth key ID → logged-in user
	pending     map[[8]byte]*Account      // auth key ID → account waiting for its password
	challenges  map[[8]byte]*srpChallenge // auth key ID → password challenge
	qrTokens    map[string]*qrToken       // login tokens waiting to be scanned
	bots        map[string]*Account       // bot token → bot account
	sessions    map[int64]tgtest.Session  // user → latest session, for pushing updates
	users       map[int64]*tg.User        // every user the fake knows
	nextMsg     map[int64]int             // per-account message counter
	nextUser    int64
	history     history
	chats       map[int64]*fakeChat    // basic groups
	channels    map[int64]*fakeChannel // supergroups and broadcast channels
	created     []created              // what accounts created
	customEmoji map[int64]string       // custom-emoji document → the emoji it stands for
	nextChat    int64
	contacts    map[int64][]int64 // account → saved contacts
	media       mediaStore
	photos      photoStore               // profile and group photos (photos.go)
	pts         map[int64]int            // account → current pts
	ptsLog      map[int64][]loggedUpdate // account → updates, for getDifference
	diffCalls   map[int64]int            // account → updates.getDifference calls
	dialogCalls map[int64]int            // account → messages.getDialogs calls (dialogcalls.go)
	polls       pollStore
	randomIDs   map[int64]map[int64]bool           // account → random_id of every message it sent (randomid.go)
	repeats     map[int64]int                      // account → sends refused as RANDOM_ID_DUPLICATE
	hold        *answerHold                        // an armed HoldNextAnswer
	cut         map[int64]bool                     // accounts whose link is dropped (link.go)
	conns       map[int64]map[int64]tgtest.Session // account → its sessions by ID, for Drop
	// template is the session of one real login, the model of seeded ones (sessions_seed.go).
	templateMu sync.Mutex
	template   *session.Data
	sent       chan Sent
}

// Start runs a fake Telegram on loopback until ctx ends or Close is called.
func Start(ctx context.Context) (*Network, error) {
	n := &Network{
		accounts:   map[string]*Account{},
		bound:      map[[8]byte]int64{},
		pending:    map[[8]byte]*Account{},
		challenges: map[[8]byte]*srpChallenge{},
		qrTokens:   map[string]*qrToken{},
		bots:       map[string]*Account{},
		sessions:   map[int64]tgtest.Session{},
		users:      map[int64]*tg.User{},
		nextMsg:    map[int64]int{},
		nextUser:   1000,
		sent:       make(chan Sent, 65536),
	}
	n.cluster = cluster.NewCluster(cluster.Options{})
	srv, d := n.cluster.DC(DCID, "fake-telegram")
	n.server = srv
	// Every request passes the gate (link.go) before the fake's methods, then the cluster's.
	methods := tgtest.NewDispatcher()
	n.register(methods)
	methods.Fallback(n.cluster.Common())
	d.Fallback(n.gate(methods))
	ctx, n.stop = context.WithCancel(ctx)
	go func() { _ = n.cluster.Up(ctx) }()
	select {
	case <-n.cluster.Ready():
		return n, nil
	case <-time.After(30 * time.Second):
		n.stop()
		return nil, fmt.Errorf("fake Telegram did not start within 30s")
	}
}

// nextMessageID numbers a new message of an account's private chats and basic groups
// (Telegram numbers those per account).
func (n *Network) nextMessageID(account int64) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nextMsg[account]++
	return n.nextMsg[account]
}

// Close stops the fake.
func (n *Network) Close() { n.stop() }

// Servers returns the data centres and PEM public keys to put in the bridge's
// network.servers config, the way an admin would describe a private cluster.
func (n *Network) Servers() (dcs []map[string]any, publicKeys []string) {
	for _, o := range n.cluster.List().Options {
		dcs = append(dcs, map[string]any{"id": o.ID, "host": o.IPAddress, "port": o.Port})
	}
	for _, k := range n.cluster.Keys() {
		block := &pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(k.RSA)}
		publicKeys = append(publicKeys, string(pem.EncodeToMemory(block)))
	}
	return dcs, publicKeys
}

// AddUser creates a Telegram user (not necessarily one who logs in).
func (n *Network) AddUser(first, last, username, phone string) *tg.User {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nextUser++
	u := &tg.User{ID: n.nextUser, AccessHash: n.nextUser * 7919, FirstName: first, LastName: last, Username: username, Phone: phone}
	u.SetFlags()
	n.users[u.ID] = u
	return u
}

// AddAccount creates a user who can log in with phone and code.
func (n *Network) AddAccount(first, phone, code string) *Account {
	u := n.AddUser(first, "", "", phone)
	acct := &Account{User: u, Code: code}
	n.mu.Lock()
	n.accounts[phone] = acct
	n.mu.Unlock()
	return acct
}

// FloodWaitNextSends makes the next count messages.sendMessage calls fail with
// FLOOD_WAIT_<seconds>, as Telegram does when a client sends too fast.
func (n *Network) FloodWaitNextSends(count, seconds int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.floodSends, n.floodSeconds = count, seconds
}

// WaitSent returns the next message the bridge sent, or an error after timeout.
func (n *Network) WaitSent(timeout time.Duration) (Sent, error) {
	select {
	case s := <-n.sent:
		return s, nil
	case <-time.After(timeout):
		return Sent{}, fmt.Errorf("nothing was sent to Telegram within %s", timeout)
	}
}

// push sends updates with the users they mention to the account's connected session.
//
// Like Telegram's servers, the fake numbers an account's updates with pts and keeps them: an
// update for an account that is not connected waits for updates.getDifference.
func (n *Network) push(ctx context.Context, to *Account, users []tg.UserClass, updates ...tg.UpdateClass) error {
	return n.pushEntities(ctx, to, users, nil, updates...)
}

// pushEntities is push with the chats the updates mention.
func (n *Network) pushEntities(ctx context.Context, to *Account, users []tg.UserClass, chats []tg.ChatClass, updates ...tg.UpdateClass) error {
	n.mu.Lock()
	n.assignPts(to.User.ID, users, updates)
	n.mu.Unlock()
	return n.sendUpdates(ctx, to.User.ID, &tg.Updates{Updates: updates, Users: users, Chats: chats, Date: int(time.Now().Unix())})
}

// sendUpdates sends updates to a user's connected session, if any.
func (n *Network) sendUpdates(ctx context.Context, userID int64, upd *tg.Updates) error {
	n.mu.Lock()
	sess, ok := n.sessions[userID]
	n.mu.Unlock()
	if !ok {
		return nil
	}
	if err := n.server.Send(ctx, sess, tgtest.MessageFromServer, upd); err != nil {
		// The session is gone (the bridge disconnected; the error may be a closed connection,
		// a reset or a broken pipe): like Telegram, the fake keeps the update for the
		// difference the client asks for when it is back.
		n.mu.Lock()
		if n.sessions[userID] == sess {
			delete(n.sessions, userID)
		}
		n.mu.Unlock()
	}
	return nil
}

// DeliverEdit makes from change the text of their message id in the private chat with `to`.
func (n *Network) DeliverEdit(ctx context.Context, to *Account, from *tg.User, id int, text string) error {
	msg := &tg.Message{ID: id, PeerID: &tg.PeerUser{UserID: from.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text,
		Date: int(time.Now().Unix()), EditDate: int(time.Now().Unix())}
	msg.SetFlags()
	return n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateEditMessage{Message: msg, Pts: id, PtsCount: 1})
}

// DeliverDelete deletes messages of the account's private chats, as Telegram reports it:
// by message number only.
func (n *Network) DeliverDelete(ctx context.Context, to *Account, ids ...int) error {
	return n.push(ctx, to, nil, &tg.UpdateDeleteMessages{Messages: ids, Pts: 1, PtsCount: len(ids)})
}

// DeliverFormatted makes from write text with formatting entities.
func (n *Network) DeliverFormatted(ctx context.Context, to *Account, from *tg.User, text string, entities []tg.MessageEntityClass) (int, error) {
	id := n.nextMessageID(to.User.ID)
	msg := &tg.Message{ID: id, PeerID: &tg.PeerUser{UserID: from.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text, Entities: entities, Date: int(time.Now().Unix())}
	msg.SetFlags()
	n.record(to.User.ID, from.ID, msg)
	return id, n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateNewMessage{Message: msg, Pts: id, PtsCount: 1})
}

// DeliverReply makes from answer message replyTo in the private chat with `to`.
func (n *Network) DeliverReply(ctx context.Context, to *Account, from *tg.User, replyTo int, text string) (int, error) {
	return n.deliver(ctx, to, from, text, replyTo)
}

// Deliver makes from write text to the account `to` in their private chat, pushing the update
// to the account's connected session. It returns the message ID.
func (n *Network) Deliver(ctx context.Context, to *Account, from *tg.User, text string) (int, error) {
	return n.deliver(ctx, to, from, text, 0)
}

func (n *Network) deliver(ctx context.Context, to *Account, from *tg.User, text string, replyTo int) (int, error) {
	id := n.nextMessageID(to.User.ID)
	msg := &tg.Message{ID: id, PeerID: &tg.PeerUser{UserID: from.ID}, FromID: &tg.PeerUser{UserID: from.ID}, Message: text, Date: int(time.Now().Unix())}
	if replyTo != 0 {
		header := &tg.MessageReplyHeader{ReplyToMsgID: replyTo}
		header.SetFlags()
		msg.ReplyTo = header
	}
	msg.SetFlags()
	n.record(to.User.ID, from.ID, msg)
	if err := n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateNewMessage{Message: msg, PtsCount: 1}); err != nil {
		return 0, fmt.Errorf("deliver to %d: %w", to.User.ID, err)
	}
	return id, nil
}

// DeliverRead makes from read the account's messages up to maxID.
func (n *Network) DeliverRead(ctx context.Context, to *Account, from *tg.User, maxID int) error {
	return n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateReadHistoryOutbox{Peer: &tg.PeerUser{UserID: from.ID}, MaxID: maxID, Pts: 1, PtsCount: 1})
}

// DeliverTyping makes from start (or stop) typing in the private chat with `to`.
func (n *Network) DeliverTyping(ctx context.Context, to *Account, from *tg.User, typing bool) error {
	var action tg.SendMessageActionClass = &tg.SendMessageCancelAction{}
	if typing {
		action = &tg.SendMessageTypingAction{}
	}
	return n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateUserTyping{UserID: from.ID, Action: action})
}

// DeliverGroupTyping makes from start (or stop) typing in a basic group (chat) or, with chat
// nil, in a supergroup (channel), as seen by the account `to`.
func (n *Network) DeliverGroupTyping(ctx context.Context, to *Account, chat *tg.Chat, channel *tg.Channel, from *tg.User, typing bool) error {
	var action tg.SendMessageActionClass = &tg.SendMessageCancelAction{}
	if typing {
		action = &tg.SendMessageTypingAction{}
	}
	if chat != nil {
		return n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateChatUserTyping{ChatID: chat.ID, FromID: &tg.PeerUser{UserID: from.ID}, Action: action})
	}
	return n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateChannelUserTyping{ChannelID: channel.ID, FromID: &tg.PeerUser{UserID: from.ID}, Action: action})
}

// DeliverStatus reports from as online or offline to `to`.
func (n *Network) DeliverStatus(ctx context.Context, to *Account, from *tg.User, online bool) error {
	var status tg.UserStatusClass = &tg.UserStatusOffline{WasOnline: int(time.Now().Unix())}
	if online {
		status = &tg.UserStatusOnline{Expires: int(time.Now().Add(5 * time.Minute).Unix())}
	}
	return n.push(ctx, to, []tg.UserClass{from}, &tg.UpdateUserStatus{UserID: from.ID, Status: status})
}

// Secrets returns every secret a test could type into the bridge for this network's accounts
// (login codes, two-step-verification passwords, bot tokens), keyed by what they are, so that
// the test stack can check that none of them reaches a log. Codes shorter than five characters
// are left out: they would match ordinary log text.
func (n *Network) Secrets() map[string]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string]string{}
	for phone, a := range n.accounts {
		if len(a.Code) >= 5 {
			out["Telegram login code of "+phone] = a.Code
		}
		if a.Password != "" {
			out["Telegram password of "+phone] = a.Password
		}
	}
	for token := range n.bots {
		out["Telegram bot token "+token[:min(4, len(token))]+"…"] = token
	}
	return out
}
