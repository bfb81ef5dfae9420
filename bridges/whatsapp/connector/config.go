package connector

import (
	_ "embed"
	"strings"

	"go.mau.fi/util/configupgrade"
	"go.mau.fi/whatsmeow/types"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// Config is the `network:` section of the bridge config.
type Config struct {
	// OSName is how the bridge appears in the phone's list of linked devices.
	OSName string `yaml:"os_name"`
	// BridgeStatusBroadcast bridges WhatsApp status updates (stories) into a portal.
	BridgeStatusBroadcast bool `yaml:"bridge_status_broadcast"`
	// BridgeBroadcastLists bridges messages sent to broadcast lists.
	BridgeBroadcastLists bool `yaml:"bridge_broadcast_lists"`
	// Metrics serves Prometheus metrics (off unless metrics.listen is set).
	Metrics metrics.Config `yaml:"metrics"`
}

//go:embed example-config.yaml
var exampleConfig string

func upgradeConfig(h configupgrade.Helper) {
	h.Copy(configupgrade.Str, "os_name")
	h.Copy(configupgrade.Bool, "bridge_status_broadcast")
	h.Copy(configupgrade.Bool, "bridge_broadcast_lists")
	h.Copy(configupgrade.Str|configupgrade.Null, "metrics", "listen")
}

func (c *Connector) GetConfig() (string, any, configupgrade.Upgrader) {
	return exampleConfig, &c.Config, configupgrade.SimpleUpgrader(upgradeConfig)
}

func parseDeviceJID(s string) (types.JID, error) {
	return types.ParseJID(strings.TrimSpace(s))
}
