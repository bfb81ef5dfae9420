package connector

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/updates"
	"github.com/gotd/td/tg"
	"github.com/mxbridges/mxbridges/pkg/metrics"
	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/status"
)

// Client is the bridgev2 NetworkAPI of one Telegram login.
type Client struct {
	conn  *Connector
	login *bridgev2.UserLogin

	mu      sync.Mutex
	api     *tg.Client
	manager *updates.Manager // of the live connection, for updates in request answers
	// link is whether the live client's connection is up (connstate.go); nil before the first.
	link   *linkState
	cancel context.CancelFunc
	// awaitUntil is how long Matrix events wait for a connection that is being made (see
	// connectedClient).
	awaitUntil time.Time
	// users caches what updates told us about people: names and access hashes.
	users map[int64]*tg.User
	// channels caches supergroups and channels: titles, our rights, access hashes.
	channels map[int64]*tg.Channel
	// metaMu guards the login's metadata (session, update state), which the connection, the
	// updates manager and requests read and write from different goroutines.
	metaMu *metaLock
	// customEmoji maps custom-emoji documents to the emoji they stand for.
	customEmoji map[int64]string
	// seenChannels are the channels this client checked it shares the room of (joinShared).
	seenChannels map[int64]bool
	// chatTitles caches group and channel titles by peerKey, to name forward origins (forward.go).
	chatTitles sync.Map
	// lanesMu is held by the connection whose lanes run (handletg_lanes.go): after a quick
	// Disconnect and Connect the next connection waits until the last one's lanes stopped, so
	// that no chat has two lanes at once.
	lanesMu sync.Mutex
}

var _ bridgev2.NetworkAPI = (*Client)(nil)

func newClient(c *Connector, login *bridgev2.UserLogin) *Client {
	return &Client{conn: c, login: login, users: map[int64]*tg.User{}, channels: map[int64]*tg.Channel{}, seenChannels: map[int64]bool{},
		customEmoji: map[int64]string{}, metaMu: &metaLock{login: login}, awaitUntil: time.Now().Add(connectWait)}
}

// connectWait is how long after a login is loaded or connects a Matrix event waits for its
// connection. A restarted bridge gets every transaction it had not acknowledged as soon as it
// listens, before Telegram's connection is up: those events must wait rather than fail.
const connectWait = 30 * time.Second

func (tc *Client) meta() *LoginMetadata { return tc.login.Metadata.(*LoginMetadata) }

// newTelegram builds a gotd client for this bridge's configuration; onState, if set, hears
// the primary connection go and come back (connstate.go).
func newTelegram(c *Connector, storage telegram.SessionStorage, handler telegram.UpdateHandler, onState func(telegram.ConnectionState)) (*telegram.Client, error) {
	servers, err := c.Config.Servers.options()
	if err != nil {
		return nil, err
	}
	opts := telegram.Options{
		SessionStorage: storage, UpdateHandler: handler, NoUpdates: handler == nil,
		Middlewares:         []telegram.Middleware{floodWait(sleepCtx)},
		ReconnectionBackoff: reconnectBackoff,
		OnConnectionState:   onState,
	}
	servers.apply(&opts)
	return telegram.NewClient(c.Config.APIID, c.Config.APIHash, opts), nil
}

// Connect runs the MTProto connection in the background until Disconnect, and reports bridge
// states along the way. A lost connection is gotd's to make again (within 2 s of the network
// coming back, connstate.go); a client that ends is started again with back-off (1 s doubling
// to 5 min).
func (tc *Client) Connect(ctx context.Context) {
	if len(tc.meta().Session) == 0 {
		tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateBadCredentials, Error: stateNoSession})
		return
	}
	tc.mu.Lock()
	if tc.cancel != nil {
		tc.cancel()
	}
	// Not every caller of Connect puts the login's logger in ctx: the run loop needs it.
	runCtx, cancel := context.WithCancel(tc.login.Log.WithContext(context.WithoutCancel(ctx)))
	tc.cancel = cancel
	tc.awaitUntil = time.Now().Add(connectWait)
	tc.mu.Unlock()
	tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnecting})
	go tc.runLoop(runCtx)
}

func (tc *Client) runLoop(ctx context.Context) {
	log := zerolog.Ctx(ctx)
	delay := time.Second
	var connected atomic.Bool // a connection of this loop came up before: the next one is a reconnect
	for ctx.Err() == nil {
		// The updates manager orders updates, detects gaps and fetches what is missing
		// (updates.getDifference) from the state stored with the login, which stays behind
		// the updates still on the chats' lanes (handletg_lanes.go).
		meta := tc.metaMu
		tc.lanesMu.Lock()
		state := newHeldUpdateState(meta)
		in := newInbound(ctx, tc, state)
		dispatcher := tg.NewUpdateDispatcher()
		tc.registerHandlers(dispatcher, in)
		// Every handler logs through zerolog.Ctx: give them the login's logger.
		handler := telegram.UpdateHandlerFunc(func(ctx context.Context, u tg.UpdatesClass) error {
			return dispatcher.Handle(tc.login.Log.WithContext(ctx), u)
		})
		manager := updates.New(updates.Config{Handler: handler, Storage: state, AccessHasher: state, UserAccessHasher: state})
		link := newLinkState(offlineWait)
		watchCtx, stopWatch := context.WithCancel(ctx)
		client, err := newTelegram(tc.conn, &dbSession{meta}, manager, tc.watchConnection(watchCtx, link, manager))
		if err != nil {
			stopWatch()
			in.close()
			tc.lanesMu.Unlock()
			tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateUnknownError, Error: stateMisconfigured, Message: err.Error()})
			return
		}
		api := client.API()
		err = client.Run(ctx, func(ctx context.Context) error {
			self, err := client.Self(ctx)
			if err != nil {
				return fmt.Errorf("get own user: %w", err)
			}
			tc.remember(self)
			tc.mu.Lock()
			tc.api, tc.manager, tc.link = api, manager, link
			tc.mu.Unlock()
			delay = time.Second
			return manager.Run(ctx, differenceAPI{client.API()}, self.ID, updates.AuthOptions{
				IsBot: self.Bot,
				OnStart: func(ctx context.Context) {
					if connected.Swap(true) {
						metrics.Reconnected("connection_lost")
					}
					tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnected})
					go tc.catchUp(ctx, api)
				},
			})
		})
		stopWatch()
		// The next connection starts from the stored state: stop this one's lanes first, so
		// that no chat has two lanes at once.
		in.close()
		tc.lanesMu.Unlock()
		// A quick Disconnect and Connect can start the next loop before this one ends: clear
		// the client only if it is still ours.
		tc.mu.Lock()
		if tc.api == api {
			tc.api, tc.manager, tc.link = nil, nil, nil
		}
		tc.mu.Unlock()
		switch {
		case ctx.Err() != nil:
			return
		case auth.IsUnauthorized(err) || auth.IsKeyUnregistered(err):
			tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateBadCredentials, Error: stateLoggedOut})
			return
		}
		log.Warn().Err(err).Dur("retry_in", delay).Msg("Telegram connection ended")
		tc.login.BridgeState.Send(status.BridgeState{StateEvent: status.StateTransientDisconnect, Error: stateConnectFailed})
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Minute)
	}
}

func (tc *Client) Disconnect() {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.cancel != nil {
		tc.cancel()
		tc.cancel = nil
	}
	tc.awaitUntil = time.Time{}
}

func (tc *Client) IsLoggedIn() bool { return len(tc.meta().Session) > 0 }

// LogoutRemote ends the session on Telegram's side too.
func (tc *Client) LogoutRemote(ctx context.Context) {
	if api := tc.client(); api != nil {
		if _, err := api.AuthLogOut(ctx); err != nil {
			zerolog.Ctx(ctx).Err(err).Msg("Failed to log out of Telegram")
		}
	}
	tc.Disconnect()
	tc.meta().Session = nil
}

func (tc *Client) IsThisUser(_ context.Context, userID networkid.UserID) bool {
	return networkid.UserLoginID(userID) == tc.login.ID
}

// client is the API of the live connection, or nil while disconnected.
func (tc *Client) client() *tg.Client {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return tc.api
}

// connectedClient is client, but while the login's connection is being made (up to
// connectWait after the login was loaded or connected) it waits for the connection.
func (tc *Client) connectedClient() *tg.Client {
	for {
		tc.mu.Lock()
		api, wait := tc.api, time.Now().Before(tc.awaitUntil)
		tc.mu.Unlock()
		if api != nil || !wait {
			return api
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// remember caches a user's name and access hash.
func (tc *Client) remember(u *tg.User) {
	if u == nil || u.ID == 0 {
		return
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if old, ok := tc.users[u.ID]; ok && u.Min && old.AccessHash != 0 {
		return // a "min" user lacks the access hash we already have
	}
	tc.users[u.ID] = u
}

func (tc *Client) user(id int64) (*tg.User, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	u, ok := tc.users[id]
	return u, ok
}
