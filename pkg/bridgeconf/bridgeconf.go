package bridgeconf

import (
	"fmt"
	"os"
	"strings"
	"text/template"

	"go.mau.fi/util/configupgrade"
	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"
	"maunium.net/go/mautrix/bridgev2/matrix/mxmain"
)

// Example renders the full example config of a connector: the network section followed by
// mautrix's base config, exactly what `<bridge> -e` writes.
func Example(conn bridgev2.NetworkConnector) (string, error) {
	networkExample, _, _ := conn.GetConfig()
	tmpl, err := template.New("example-config.yaml").Delims("$<<", ">>").Parse(mxmain.MatrixExampleConfigBase)
	if err != nil {
		return "", fmt.Errorf("parse base example config: %w", err)
	}
	var buf strings.Builder
	buf.WriteString("# Network-specific config options\nnetwork:\n")
	for _, line := range strings.Split(networkExample, "\n") {
		buf.WriteString("    " + line + "\n")
	}
	buf.WriteString("\n")
	if err = tmpl.Execute(&buf, conn.GetName()); err != nil {
		return "", fmt.Errorf("render base example config: %w", err)
	}
	return buf.String(), nil
}

// upgrader merges the base, network and bridgev2 upgraders as mxmain does, and returns the
// connector's config struct that the network section decodes into.
func upgrader(conn bridgev2.NetworkConnector) (configupgrade.BaseUpgrader, any, error) {
	example, err := Example(conn)
	if err != nil {
		return nil, nil, err
	}
	_, networkData, networkUpgrader := conn.GetConfig()
	if networkUpgrader == nil {
		networkUpgrader = configupgrade.NoopUpgrader
	}
	proxied := &configupgrade.ProxyUpgrader{Target: networkUpgrader, Prefix: []string{"network"}}
	return configupgrade.MergeUpgraders(example, proxied, bridgeconfig.Upgrader), networkData, nil
}

// Load upgrades the config file in place and parses it, filling the connector's own config
// struct from the network section, as the bridge binary does at start.
func Load(path string, conn bridgev2.NetworkConnector) (*bridgeconfig.Config, error) {
	up, networkData, err := upgrader(conn)
	if err != nil {
		return nil, err
	}
	data, _, err := configupgrade.Do(path, true, up)
	if err != nil {
		return nil, fmt.Errorf("upgrade config %s: %w", path, err)
	}
	var cfg bridgeconfig.Config
	if err = yaml.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("parse config %s: %w", path, err)
	}
	if networkData != nil {
		if err = cfg.Network.Decode(networkData); err != nil {
			return nil, fmt.Errorf("parse network section of %s: %w", path, err)
		}
	}
	cfg.Bridge.Backfill = cfg.Backfill
	return &cfg, nil
}

// Register generates the appservice registration for the config at path and stores the new
// tokens in the config, as `<bridge> -g` does. It returns the registration and the final config.
func Register(path string, conn bridgev2.NetworkConnector) (*appservice.Registration, *bridgeconfig.Config, error) {
	cfg, err := Load(path, conn)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Homeserver.Domain == "example.com" {
		return nil, nil, fmt.Errorf("register %s: homeserver.domain is not set", path)
	}
	reg := cfg.GenerateRegistration()
	err = Apply(path, map[string]any{
		"appservice.as_token": reg.AppToken,
		"appservice.hs_token": reg.ServerToken,
	})
	if err != nil {
		return nil, nil, err
	}
	if cfg, err = Load(path, conn); err != nil {
		return nil, nil, err
	}
	return reg, cfg, nil
}

// Create writes a ready config for conn at path (example config, then p applied) and
// registers it. This is what an admin gets from `-e`, editing the file, and `-g`.
func Create(path string, conn bridgev2.NetworkConnector, p Params) (*appservice.Registration, *bridgeconfig.Config, error) {
	example, err := Example(conn)
	if err != nil {
		return nil, nil, err
	}
	if err = os.WriteFile(path, []byte(example), 0o600); err != nil {
		return nil, nil, fmt.Errorf("write example config: %w", err)
	}
	if err = Apply(path, p.Settings()); err != nil {
		return nil, nil, err
	}
	return Register(path, conn)
}
