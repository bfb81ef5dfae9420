//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/loadtest"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestChaosKillNetworkToMatrix: WhatsApp contacts write while the bridge binary is killed
// (SIGKILL) and started again; every message must reach its room once and in order. What the
// dead bridge had journalled comes back from the journal; what it had not acknowledged,
// WhatsApp (the fake's mailbox) delivers again, and the bridge takes each only once. The kill
// lands where that matters: the bridge has journalled a message and WhatsApp has not had its
// acknowledgement, so the message comes back both ways.
func TestChaosKillNetworkToMatrix(t *testing.T) {
	redeliveredBefore := net.Redelivered()
	chaosKill(t, "whatsapp-kill-to-matrix", loadtest.ToMatrix)
	if got := net.Redelivered() - redeliveredBefore; got < 1 {
		t.Errorf("WhatsApp delivered %d messages again, want at least the one whose acknowledgement was lost", got)
	} else {
		t.Logf("WhatsApp delivered %d messages again", got)
	}
}

// TestChaosKillMatrixToNetwork: the user writes in the portals while the binary is killed and
// started again; every message must reach WhatsApp once and in order. Synapse sends the
// transaction the dead bridge never acknowledged again; the restarted bridge waits for its
// WhatsApp connection before sending, and a message WhatsApp had already taken goes out under
// the same ID and is dropped as a repeat. The kill lands where that matters: WhatsApp has
// taken a message and not answered yet.
func TestChaosKillMatrixToNetwork(t *testing.T) {
	repeatedBefore := net.Repeated()
	chaosKill(t, "whatsapp-kill-to-whatsapp", loadtest.ToNetwork)
	// The message in flight at the kill was sent again after the restart.
	if got := net.Repeated() - repeatedBefore; got < 1 {
		t.Errorf("WhatsApp dropped %d repeated message IDs, want at least the one in flight at the kill", got)
	} else {
		t.Logf("WhatsApp dropped %d repeated message IDs", got)
	}
}

// chaosKill runs one direction's scenario against the binary. The kill waits until, to
// Matrix, an acknowledgement of a message the bridge took was lost, or, to WhatsApp, WhatsApp
// has taken a message whose answer the bridge has not had yet.
func chaosKill(t *testing.T, name string, dir loadtest.Direction) {
	messages, _, err := loadtest.ChaosSize()
	if err != nil {
		t.Fatal(err)
	}
	s := loginBinary(t, "Chaos "+name)
	target := newWATarget(t, s)
	target.deliver = true
	// A test that fails while the bridge is down leaves it running for the next ones.
	t.Cleanup(func() {
		select {
		case <-binary.Exited():
			if err := binary.Start(); err != nil {
				t.Error(err)
			}
		default:
		}
	})
	const down = 3 * time.Second
	loadtest.RunChaos(t, name, loadtest.ChaosOptions{
		Target: target, User: s.u.Client, Direction: dir,
		Messages: messages, Portals: 4,
		Fault: loadtest.Fault{
			Name: fmt.Sprintf("kill -9 the bridge for %s", down),
			Break: func(context.Context) error {
				var inFlight <-chan struct{}
				if dir == loadtest.ToNetwork {
					taken, release := net.HoldNextAnswer()
					defer release()
					inFlight = taken
				} else {
					inFlight = net.LoseNextAck()
				}
				select {
				case <-inFlight:
				case <-time.After(time.Minute):
					return fmt.Errorf("wait for a message in flight: none within a minute")
				}
				if err := binary.Kill(); err != nil {
					return fmt.Errorf("kill the bridge: %w", err)
				}
				<-binary.Exited()
				return nil
			},
			Heal: func(ctx context.Context) error {
				if err := binary.Start(); err != nil {
					return fmt.Errorf("restart the bridge: %w", err)
				}
				return loadtest.WaitConnected(ctx, binary.AppserviceURL(), binary.ProvisioningSecret(), s.u.UserID)
			},
			Lasts: down,
		},
	})
	if n := net.Pending(s.jid); n != 0 {
		t.Errorf("%d messages still wait on WhatsApp for the bridge", n)
	}
}

// loginBinary links a new WhatsApp account through the binary's bot with the QR flow.
func loginBinary(t *testing.T, name string) *session {
	t.Helper()
	u := stack.NewUser(t, "wakill")
	bot := binary.BotMXID()
	c := u.Cursor()
	room := u.CreateDM(t, bot)
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a WhatsApp bridge bot"))
	prev := net.Latest()
	c = u.Cursor()
	u.SendText(t, room, "login qr")
	cli, err := net.WaitLatest(prev, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	code := "2@qr-kill-" + fmt.Sprint(time.Now().UnixNano())
	// The binary creates its client on the fake before it opens the pairing channel.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if err = cli.ShowQR(code); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
	u.WaitFor(t, room, c, "the QR code", matrixtest.MessageFrom(bot, code))
	jid := wafake.User(newPhone())
	c = u.Cursor()
	if err = cli.Pair(context.Background(), jid, name); err != nil {
		t.Fatal(err)
	}
	u.WaitFor(t, room, c, "login success", matrixtest.MessageFrom(bot, "Successfully logged in as "+name))
	if err = loadtest.WaitConnected(context.Background(), binary.AppserviceURL(), binary.ProvisioningSecret(), u.UserID); err != nil {
		t.Fatal(err)
	}
	return &session{u: u, management: room, cli: cli, jid: jid}
}
