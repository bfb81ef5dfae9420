package connector

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	waLog "go.mau.fi/whatsmeow/util/log"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
)

// Client is the bridgev2 NetworkAPI of one WhatsApp login.
type Client struct {
	conn   *Connector
	login  *bridgev2.UserLogin
	device *store.Device
	wa     wa.Client

	presence presenceSubs
	// inbound holds the journalled messages' chat lanes (inbound.go).
	inbound inbound

	phoneMu sync.Mutex // guards LoginMetadata.PhoneLastSeen (phone.go)

	mu         sync.Mutex
	stopRetry  context.CancelFunc
	retryDelay time.Duration
	// everConnected is set by the first Connected event: later ones are reconnects (metrics).
	everConnected atomic.Bool
	// offline is set by Disconnect and a logout, cleared by Connect: sends do not wait then.
	offline atomic.Bool
}

var (
	_ bridgev2.NetworkAPI           = (*Client)(nil)
	_ bridgev2.NetworkAPIWithUserID = (*Client)(nil)
)

// newClient makes the NetworkAPI of a login. device may be nil (a login whose device is gone).
func newClient(c *Connector, login *bridgev2.UserLogin, device *store.Device) *Client {
	wc := &Client{conn: c, login: login, device: device}
	if device != nil && device.ID != nil {
		wc.attach(c.NewClient(device, waLog.Zerolog(login.Log.With().Str("component", "whatsmeow").Logger())))
	}
	return wc
}

// attach starts listening to a whatsmeow client's events.
func (wc *Client) attach(cli wa.Client) {
	wc.wa = cli
	cli.AddEventHandlerWithSuccessStatus(wc.handleEvent)
}

// ownJID is the account's user JID (without device).
func (wc *Client) ownJID() types.JID {
	if wc.device != nil && wc.device.ID != nil {
		return wc.device.ID.ToNonAD()
	}
	return ids.LoginJID(wc.login.ID)
}

// Connect connects to WhatsApp in the background, retrying with back-off (1 s doubling to
// retryConnectMax) until it succeeds or Disconnect is called. It reports progress as bridge
// states. Once connected, whatsmeow reconnects by itself after a lost connection.
func (wc *Client) Connect(ctx context.Context) {
	if wc.wa == nil {
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateBadCredentials, Error: stateNotPaired})
		return
	}
	wc.offline.Store(false)
	wc.mu.Lock()
	if wc.stopRetry != nil {
		wc.stopRetry()
	}
	retryCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	wc.stopRetry, wc.retryDelay = cancel, time.Second
	wc.mu.Unlock()
	wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnecting})
	// What was journalled but not bridged before goes first, ahead of anything new.
	wc.replayJournal(wc.login.Log.WithContext(context.WithoutCancel(ctx)))
	go wc.connectLoop(retryCtx)
}

func (wc *Client) connectLoop(ctx context.Context) {
	log := zerolog.Ctx(ctx)
	for {
		err := wc.wa.Connect()
		if err == nil {
			return
		}
		wc.mu.Lock()
		delay := wc.retryDelay
		wc.retryDelay = min(max(wc.retryDelay, time.Second)*2, retryConnectMax)
		wc.mu.Unlock()
		log.Warn().Err(err).Dur("retry_in", delay).Msg("Failed to connect to WhatsApp")
		wc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateTransientDisconnect, Error: stateConnectFailed, Message: err.Error()})
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}

// retryConnectMax is the longest wait between two connection attempts: a network that comes
// back after a drop is used again within half a minute.
const retryConnectMax = 30 * time.Second

// connectWait bounds how long a Matrix event waits for the WhatsApp connection (after a
// restart, or while it is down): well below the 60 s after which Synapse gives up on a
// transaction and sends it again.
const connectWait = 30 * time.Second

// waitConnected waits until the login is connected to WhatsApp, connectWait at most, unless
// it is not meant to be (Disconnect was called, or WhatsApp logged the device out). A login
// that bridgev2 loaded and has not connected yet (right after a start) is waited for: the
// homeserver resends what a dead bridge left unanswered at once.
func (wc *Client) waitConnected(ctx context.Context) {
	if wc.wa.IsConnected() || wc.offline.Load() {
		return
	}
	start := time.Now()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !wc.wa.IsConnected() && time.Since(start) < connectWait {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	zerolog.Ctx(ctx).Debug().Dur("waited", time.Since(start)).Bool("connected", wc.wa.IsConnected()).Msg("Waited for the WhatsApp connection to send")
}

func (wc *Client) Disconnect() {
	wc.offline.Store(true)
	wc.mu.Lock()
	if wc.stopRetry != nil {
		wc.stopRetry()
		wc.stopRetry = nil
	}
	wc.mu.Unlock()
	if wc.wa != nil {
		wc.wa.Disconnect()
	}
	// After whatsmeow stopped delivering: what the lanes did not bridge stays journalled.
	wc.stopLanes()
}

func (wc *Client) IsLoggedIn() bool {
	return wc.wa != nil && wc.device != nil && wc.device.ID != nil
}

// LogoutRemote unlinks the device from the phone and deletes it from the store.
func (wc *Client) LogoutRemote(ctx context.Context) {
	if wc.wa == nil {
		return
	}
	if err := wc.wa.Logout(ctx); err != nil {
		zerolog.Ctx(ctx).Err(err).Msg("Failed to log out of WhatsApp")
	}
	wc.stopLanes()
}

// GetUserID is the ghost ID of this login's own account.
func (wc *Client) GetUserID() networkid.UserID { return ids.UserID(wc.ownJID()) }

func (wc *Client) IsThisUser(_ context.Context, userID networkid.UserID) bool {
	return userID == ids.UserID(wc.ownJID())
}
