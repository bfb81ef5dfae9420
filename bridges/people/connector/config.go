package connector

import (
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.mau.fi/util/configupgrade"
)

// Config is the `network:` section of the hub's config.
type Config struct {
	// Bridges are the bridges the hub reads contacts from.
	Bridges []BridgeConfig `yaml:"bridges"`
	// AutoLink links contacts that share a phone number.
	AutoLink bool `yaml:"auto_link"`
	// SyncEvery is how often the hub syncs every user who has people (a Go duration such as
	// "6h"); empty or "0" syncs only on `sync` and a user's first `people`.
	SyncEvery string `yaml:"sync_every"`
}

// syncInterval is SyncEvery parsed: 0 for none, an error for anything but a duration of a
// minute or more.
func (cfg *Config) syncInterval() (time.Duration, error) {
	every := strings.TrimSpace(cfg.SyncEvery)
	if every == "" || every == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(every)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("network.sync_every: %q is not a duration of a minute or more (e.g. 6h)", cfg.SyncEvery)
	}
	return d, nil
}

// BridgeConfig is one bridge of the suite as the hub reaches it.
type BridgeConfig struct {
	Network      string `yaml:"network"`
	URL          string `yaml:"url"`
	SharedSecret string `yaml:"shared_secret"`
}

//go:embed example-config.yaml
var exampleConfig string

func upgradeConfig(h configupgrade.Helper) {
	h.Copy(configupgrade.List, "bridges")
	h.Copy(configupgrade.Bool, "auto_link")
	h.Copy(configupgrade.Str|configupgrade.Null, "sync_every")
}

// GetConfig gives bridgev2 the example `network:` section, the struct it fills and its upgrader.
func (c *Connector) GetConfig() (string, any, configupgrade.Upgrader) {
	return exampleConfig, &c.Config, configupgrade.SimpleUpgrader(upgradeConfig)
}

// ValidateConfig refuses a bridge list the hub cannot use (an entry without a name or URL, a
// name used twice, a URL that is not http(s)) and a sync_every that is not a duration of at
// least a minute.
func (c *Connector) ValidateConfig() error {
	if _, err := c.Config.syncInterval(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, b := range c.Config.Bridges {
		name := strings.ToLower(strings.TrimSpace(b.Network))
		switch {
		case name == "" || strings.ContainsAny(name, " \t"):
			return fmt.Errorf("network.bridges[%d]: network must be a name without spaces", i)
		case seen[name]:
			return fmt.Errorf("network.bridges[%d]: network %q is listed twice", i, b.Network)
		case b.URL == "":
			return fmt.Errorf("network.bridges[%d] (%s): url is empty", i, b.Network)
		}
		if u, err := url.Parse(b.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("network.bridges[%d] (%s): url %q is not an http(s) address", i, b.Network, b.URL)
		}
		seen[name] = true
	}
	return nil
}

// errNoBridges is the answer of every command that needs a bridge while none is configured.
var errNoBridges = errors.New("the hub has no bridges configured (network.bridges in its config); ask the admin")
