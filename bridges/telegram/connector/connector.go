package connector

import (
	"context"
	"sync/atomic"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/pkg/bridgekit/ack"
)

// Connector is the bridgev2 network connector of the Telegram bridge.
type Connector struct {
	Bridge *bridgev2.Bridge
	Config Config

	maxFileSize atomic.Int64 // the homeserver's upload limit (see SetMaxFileSize)
}

var (
	_ bridgev2.NetworkConnector        = (*Connector)(nil)
	_ bridgev2.ConfigValidatingNetwork = (*Connector)(nil)
	_ bridgev2.StoppableNetwork        = (*Connector)(nil)
)

// New returns a connector.
func New() *Connector { return &Connector{} }

func (c *Connector) Init(br *bridgev2.Bridge) {
	c.Bridge = br
	c.hookMatrixPins() // pins_matrix.go
	// Answer the homeserver only after handling, so that a kill loses no Matrix event.
	if err := ack.Install(br); err != nil {
		br.Log.Err(err).Msg("Transactions will be acknowledged before they are handled")
	}
}

func (c *Connector) Start(ctx context.Context) error {
	if c.Config.APIID == 0 || c.Config.APIHash == "" {
		zerolog.Ctx(ctx).Warn().Msg("network.api_id and network.api_hash are not set: nobody can log in until they are (get them at https://my.telegram.org)")
	}
	return c.startMetrics(ctx)
}

// Stop stops what Start started; bridgev2 calls it on shutdown, after disconnecting the logins.
func (c *Connector) Stop() { c.stopMetrics() }

// networkID is the bridge's network ID, also its name in logs.
const networkID = "telegram"

func (c *Connector) GetName() bridgev2.BridgeName {
	return bridgev2.BridgeName{
		DisplayName:          "Telegram",
		NetworkURL:           "https://telegram.org",
		NetworkID:            networkID,
		BeeperBridgeType:     "github.com/mxbridges/mxbridges/bridges/telegram",
		DefaultPort:          29317,
		DefaultCommandPrefix: "!tg",
	}
}

// LoadUserLogin attaches a client to a stored login; Connect does the network I/O.
func (c *Connector) LoadUserLogin(_ context.Context, login *bridgev2.UserLogin) error {
	login.Client = newClient(c, login)
	return nil
}
