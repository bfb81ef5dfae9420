//go:build integration

package connector_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

// waTarget is the load harness's view of the WhatsApp bridge on wafake: contacts write to a
// logged-in account, and what the account sends is read from the fake's outbox.
type waTarget struct {
	t        *testing.T
	s        *session
	next     atomic.Int64
	arrivals chan loadtest.Arrival
	// deliver: contacts write through the network's mailbox (wafake.Network.Deliver), which
	// keeps what the bridge does not acknowledge for its next connection, instead of handing
	// each message to the bridge's client directly. Crash and drop scenarios use it.
	deliver bool
}

func newWATarget(t *testing.T, s *session) *waTarget {
	wt := &waTarget{t: t, s: s, arrivals: make(chan loadtest.Arrival, 4096)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	// The outbox is shared by the package's tests, which run one at a time; this reader
	// stops with the test. Times are taken as the fake receives each message.
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			sent, err := net.WaitSent(200 * time.Millisecond)
			if err != nil || sent.From.User != s.jid.User {
				continue
			}
			body := sent.Message.GetConversation()
			if body == "" {
				body = sent.Message.GetExtendedTextMessage().GetText()
			}
			wt.arrivals <- loadtest.Arrival{Body: body, At: time.Now()}
		}
	}()
	return wt
}

func (wt *waTarget) Name() string { return "whatsapp" }

func (wt *waTarget) Arrivals() <-chan loadtest.Arrival { return wt.arrivals }

func (wt *waTarget) Chats(_ context.Context, n int) ([]loadtest.Chat, error) {
	chats := make([]loadtest.Chat, n)
	for i := range chats {
		contact := wafake.User(newPhone())
		name := fmt.Sprintf("Contact %d", wt.next.Add(1))
		c := wt.s.u.Cursor()
		chat := waChat{cli: wt.s.cli, account: wt.s.jid, deliver: wt.deliver, contact: contact, name: name}
		if err := chat.Emit(context.Background(), "hello from "+name); err != nil {
			return nil, err
		}
		chat.room = wt.s.u.WaitInvite(wt.t, c, "the chat with "+name, nil)
		wt.s.u.Join(wt.t, chat.room)
		chats[i] = chat
	}
	return chats, nil
}

type waChat struct {
	cli     *wafake.Client
	account types.JID
	deliver bool
	contact types.JID
	name    string
	room    id.RoomID
}

func (c waChat) Room() id.RoomID { return c.room }

// Emit delivers body as whatsmeow would: the handler runs and returns once the bridge has
// journalled the message (it reaches Matrix later, on the chat's lane). The message ID comes
// from the body, so that a retry after a failed handling is WhatsApp's redelivery of the same
// message; an unacknowledged message is an error for the harness to retry. With deliver, the
// network keeps the message until the bridge takes it, as WhatsApp does.
func (c waChat) Emit(_ context.Context, body string) error {
	evt := wafake.Incoming(c.contact, c.contact, c.name, wafake.Text(body))
	sum := sha256.Sum256([]byte(body))
	evt.Info.ID = types.MessageID("3EB0" + strings.ToUpper(hex.EncodeToString(sum[:8])))
	if c.deliver {
		net.Deliver(c.account, evt)
		return nil
	}
	if !c.cli.Emit(evt) {
		return errors.New("the bridge did not acknowledge the message; WhatsApp will deliver it again")
	}
	return nil
}

// TestBenchWhatsApp measures the bridge against Synapse alone in the same run (small in
// `make test`, full size in `make bench`). It asserts only that every figure was taken and
// nothing was lost on the way: speed is printed, never asserted.
func TestBenchWhatsApp(t *testing.T) {
	s := login(t, "Bench")
	peer := stack.NewUser(t, "wapeer")
	r := loadtest.Run(t, loadtest.Options{Target: newWATarget(t, s), User: s.u.Client, Peer: peer.Client})
	for name, sum := range map[string]loadtest.Summary{"baseline": r.Baseline, "WhatsApp→Matrix": r.ToMatrix, "Matrix→WhatsApp": r.ToNetwork} {
		if sum.N == 0 || sum.P50 <= 0 {
			t.Errorf("%s latency %+v: not measured", name, sum)
		}
	}
	if r.ToMatrixRate <= 0 || r.ToNetworkRate <= 0 || r.BaselineRate <= 0 {
		t.Errorf("throughput not measured: %+v", r)
	}
}
