package fakenet

import (
	"context"

	"go.mau.fi/util/configupgrade"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/pkg/bridgekit/ack"
)

// Connector is the bridgev2 network connector of the fake network.
type Connector struct {
	net *Network
	cfg Config
}

// Config is the connector's `network:` config section.
type Config struct {
	// Greeting is prepended to nothing; it exists so that the network section of the config is
	// exercised by config generation and loading.
	Greeting string `yaml:"greeting"`
}

const exampleConfig = `# Text the fake network uses in tests of config loading.
greeting: hello from fakenet
`

var _ bridgev2.NetworkConnector = (*Connector)(nil)

// Connector returns a new connector bound to this network. One network may back one bridge.
func (n *Network) Connector() *Connector { return &Connector{net: n} }

// Config returns the network section as loaded from the bridge's config file.
func (c *Connector) Config() Config { return c.cfg }

func (c *Connector) Init(br *bridgev2.Bridge) {
	c.net.mu.Lock()
	defer c.net.mu.Unlock()
	c.net.bridge = br
	// Like the product bridges: answer the homeserver only after handling (see pkg/bridgekit/ack).
	if err := ack.Install(br); err != nil {
		br.Log.Err(err).Msg("Transactions will be acknowledged before they are handled")
	}
	c.net.loss.install(br)
}

func (c *Connector) Start(context.Context) error { return nil }

func (c *Connector) GetName() bridgev2.BridgeName {
	return bridgev2.BridgeName{
		DisplayName:      "Fake Network",
		NetworkURL:       "https://fakenet.invalid",
		NetworkID:        "fakenet",
		BeeperBridgeType: "github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet",
		DefaultPort:      29399,
	}
}

func (c *Connector) GetDBMetaTypes() database.MetaTypes { return database.MetaTypes{} }

func (c *Connector) GetCapabilities() *bridgev2.NetworkGeneralCapabilities {
	return &bridgev2.NetworkGeneralCapabilities{}
}

func (c *Connector) GetConfig() (string, any, configupgrade.Upgrader) {
	return exampleConfig, &c.cfg, configupgrade.SimpleUpgrader(func(h configupgrade.Helper) {
		h.Copy(configupgrade.Str, "greeting")
	})
}

func (c *Connector) GetBridgeInfoVersion() (info, capabilities int) { return 1, 1 }

func (c *Connector) LoadUserLogin(_ context.Context, login *bridgev2.UserLogin) error {
	login.Client = &client{net: c.net, login: login}
	return nil
}
