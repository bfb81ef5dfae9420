package connector

import (
	_ "embed"
	"errors"

	"go.mau.fi/util/configupgrade"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// Config is the `network:` section of the bridge config.
type Config struct {
	APIID   int     `yaml:"api_id"`
	APIHash string  `yaml:"api_hash"`
	Servers Servers `yaml:"servers"`
	// Metrics serves Prometheus metrics (off unless metrics.listen is set).
	Metrics metrics.Config `yaml:"metrics"`
}

// Servers names a private or test MTProto cluster; empty means Telegram's own servers.
type Servers struct {
	DCs        []DC     `yaml:"dcs"`
	PublicKeys []string `yaml:"public_keys"`
}

// DC is one data centre of a private cluster.
type DC struct {
	ID   int    `yaml:"id"`
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
}

//go:embed example-config.yaml
var exampleConfig string

func upgradeConfig(h configupgrade.Helper) {
	h.Copy(configupgrade.Int, "api_id")
	h.Copy(configupgrade.Str, "api_hash")
	h.Copy(configupgrade.List, "servers", "dcs")
	h.Copy(configupgrade.List, "servers", "public_keys")
	h.Copy(configupgrade.Str|configupgrade.Null, "metrics", "listen")
}

func (c *Connector) GetConfig() (string, any, configupgrade.Upgrader) {
	return exampleConfig, &c.Config, configupgrade.SimpleUpgrader(upgradeConfig)
}

// ValidateConfig refuses a server section that cannot work. Missing API credentials do not
// stop the bridge (its bot still answers), but `login` explains they are missing.
func (c *Connector) ValidateConfig() error {
	if len(c.Config.Servers.DCs) > 0 && len(c.Config.Servers.PublicKeys) == 0 {
		return errors.New("network.servers.dcs is set but network.servers.public_keys is empty: a private cluster needs its servers' public keys")
	}
	_, err := c.Config.Servers.options()
	return err
}
