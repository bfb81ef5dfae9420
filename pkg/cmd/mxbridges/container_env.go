package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
)

// permissionsEnv names who may use the bridge in the images, as comma-separated WHO=LEVEL pairs
// ("example.org=user,@you:example.org=admin"). bridgev2's own MXBRIDGES_ overrides cannot set
// bridge.permissions (its values are not plain strings), so the entrypoint writes this one into
// config.yaml at every start, where `mxbridges doctor` sees it too.
const permissionsEnv = "MXB_PERMISSIONS"

// permissionLevels are the levels bridge.permissions accepts.
var permissionLevels = []string{"block", "relay", "commands", "user", "admin"}

// parsePermissions reads a MXB_PERMISSIONS value.
func parsePermissions(value string) (map[string]string, error) {
	perms := map[string]string{}
	for _, pair := range strings.Split(value, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		i := strings.LastIndex(pair, "=")
		if i <= 0 {
			return nil, fmt.Errorf("parse %s: %q is not WHO=LEVEL", permissionsEnv, pair)
		}
		who, level := strings.TrimSpace(pair[:i]), strings.TrimSpace(pair[i+1:])
		if !slices.Contains(permissionLevels, level) {
			return nil, fmt.Errorf("parse %s: unknown level %q for %s (known: %s)", permissionsEnv, level, who, strings.Join(permissionLevels, ", "))
		}
		perms[who] = level
	}
	if len(perms) == 0 {
		return nil, fmt.Errorf("parse %s: no WHO=LEVEL pairs", permissionsEnv)
	}
	return perms, nil
}

// applyEnvPermissions writes MXB_PERMISSIONS, when set, into the config's bridge.permissions.
func applyEnvPermissions(config string) error {
	value, ok := os.LookupEnv(permissionsEnv)
	if !ok {
		return nil
	}
	perms, err := parsePermissions(value)
	if err != nil {
		return err
	}
	if err = bridgeconf.Apply(config, map[string]any{"bridge.permissions": perms}); err != nil {
		return fmt.Errorf("apply %s: %w", permissionsEnv, err)
	}
	return nil
}

// envOverride is the value of the MXBRIDGES_ override of a config option, as the bridge reads it.
func envOverride(path ...string) (string, bool) {
	return os.LookupEnv(envPrefix + strings.ToUpper(strings.Join(path, "__")))
}
