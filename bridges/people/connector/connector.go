package connector

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/commands"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/pkg/bridgekit/ack"
)

// Connector is the bridgev2 network connector of the people hub.
type Connector struct {
	Bridge *bridgev2.Bridge
	Config Config
	// Store holds every Matrix user's people (set by Init).
	Store *Store

	stopSyncing context.CancelFunc // ends the periodic sync (sync_periodic.go)
}

var (
	_ bridgev2.NetworkConnector        = (*Connector)(nil)
	_ bridgev2.ConfigValidatingNetwork = (*Connector)(nil)
	_ bridgev2.StoppableNetwork        = (*Connector)(nil)
)

// New returns a connector.
func New() *Connector { return &Connector{} }

// Init registers the hub's commands on bridgev2's command processor and prepares its store.
func (c *Connector) Init(br *bridgev2.Bridge) {
	c.Bridge = br
	c.Store = NewStore(br.DB.Database, string(br.ID), dbutil.ZeroLogger(br.Log.With().Str("component", "people store").Logger()))
	if proc, ok := br.Commands.(*commands.Processor); ok {
		proc.AddHandlers(c.commands()...)
	} else {
		br.Log.Error().Type("processor", br.Commands).Msg("The command processor is not bridgev2's: the people commands are not registered")
	}
	if err := ack.Install(br); err != nil {
		br.Log.Err(err).Msg("Transactions will be acknowledged before they are handled")
	}
}

// Start creates or upgrades the hub's tables and starts the periodic sync (sync_every).
func (c *Connector) Start(ctx context.Context) error {
	if err := c.Store.Upgrade(ctx); err != nil {
		return bridgev2.DBUpgradeError{Err: err, Section: "people"}
	}
	if len(c.Config.Bridges) == 0 {
		zerolog.Ctx(ctx).Warn().Msg("network.bridges is empty: the hub has no bridge to read contacts from")
	}
	return c.startSyncing(ctx)
}

// networkID is the hub's network ID, also its name in logs.
const networkID = "people"

// GetName names the hub: bot @peoplebot, command prefix !people, default port 29320.
func (c *Connector) GetName() bridgev2.BridgeName {
	return bridgev2.BridgeName{
		DisplayName:          "People",
		NetworkURL:           "https://github.com/mxbridges/mxbridges",
		NetworkID:            networkID,
		BeeperBridgeType:     "github.com/mxbridges/mxbridges/bridges/people",
		DefaultPort:          29320,
		DefaultCommandPrefix: "!people",
	}
}

// GetDBMetaTypes is empty: the hub stores nothing in bridgev2's tables, only in its own.
func (c *Connector) GetDBMetaTypes() database.MetaTypes { return database.MetaTypes{} }

// GetCapabilities is empty: the hub has no remote chats of its own.
func (c *Connector) GetCapabilities() *bridgev2.NetworkGeneralCapabilities {
	return &bridgev2.NetworkGeneralCapabilities{}
}

// GetBridgeInfoVersion is 1, 1: the hub sends no bridge info of its own rooms yet.
func (c *Connector) GetBridgeInfoVersion() (info, capabilities int) { return 1, 1 }

// errNoLogin is what the hub says to anything that wants a login: it has none.
var errNoLogin = errors.New("the people hub has no network login: its commands work without one")

// LoadUserLogin refuses: the hub never creates a login, so bridgev2 finds none to load.
func (c *Connector) LoadUserLogin(_ context.Context, login *bridgev2.UserLogin) error {
	return fmt.Errorf("load login %s: %w", login.ID, errNoLogin)
}

// GetLoginFlows lists none: there is nothing to log in to.
func (c *Connector) GetLoginFlows() []bridgev2.LoginFlow { return nil }

// CreateLogin refuses, since there are no flows.
func (c *Connector) CreateLogin(context.Context, *bridgev2.User, string) (bridgev2.LoginProcess, error) {
	return nil, errNoLogin
}
