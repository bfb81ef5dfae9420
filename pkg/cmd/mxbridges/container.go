package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
)

// The container images start through `mxbridges entrypoint` and check their health with
// `mxbridges health`. The entrypoint follows the convention admins know from other bridges'
// images: the first start with an empty /data writes config.yaml and exits, the next start
// writes registration.yaml and exits, and from then on the bridge runs. Every config option that
// holds a string, number or boolean can also come from the environment: MXBRIDGES_ followed by
// its path in capitals, levels joined by two underscores (MXBRIDGES_HOMESERVER__ADDRESS,
// MXBRIDGES_DATABASE__URI, MXBRIDGES_NETWORK__API_ID); they apply at every start, including the
// one that writes the registration. bridge.permissions comes from MXB_PERMISSIONS
// (container_env.go).

// envPrefix is the bridges' env_config_prefix in the images.
const envPrefix = "MXBRIDGES_"

// containerPaths are the files of a bridge in its data folder.
type containerPaths struct {
	bridge, binary, data, config, registration string
}

func containerSetup(bridge string) (containerPaths, error) {
	if bridge == "" {
		bridge = os.Getenv("MXB_BRIDGE")
	}
	if bridge == "" {
		return containerPaths{}, errors.New("entrypoint needs the bridge's name (argument or MXB_BRIDGE)")
	}
	data := os.Getenv("MXB_DATA")
	if data == "" {
		data = "/data"
	}
	bin, err := exec.LookPath("mxbridges-" + bridge)
	if err != nil {
		return containerPaths{}, fmt.Errorf("find the bridge program: %w", err)
	}
	return containerPaths{bridge: bridge, binary: bin, data: data,
		config: filepath.Join(data, "config.yaml"), registration: filepath.Join(data, "registration.yaml")}, nil
}

func runEntrypoint(ctx context.Context, args []string, out, errOut io.Writer) error {
	var bridge string
	if len(args) > 0 {
		bridge = args[0]
	}
	p, err := containerSetup(bridge)
	if err != nil {
		return err
	}
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, p.binary, args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = p.data, out, errOut
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("mxbridges-%s %v: %w", p.bridge, args, err)
		}
		return nil
	}
	if _, err := os.Stat(p.config); errors.Is(err, os.ErrNotExist) {
		if err = run("-e", "-c", p.config); err != nil {
			return err
		}
		// Container defaults: listen beyond loopback, keep the database in /data, and take
		// options from the environment.
		if err = bridgeconf.Apply(p.config, map[string]any{
			"env_config_prefix":   envPrefix,
			"appservice.hostname": "0.0.0.0",
			"database.type":       "sqlite3-fk-wal",
			"database.uri":        "file:" + filepath.Join(p.data, p.bridge+".db") + "?_txlock=immediate",
			"logging.min_level":   "info",
			"logging.writers":     []map[string]any{{"type": "stdout", "format": "pretty"}},
		}); err != nil {
			return err
		}
		fmt.Fprintf(out, "Wrote %s. Edit it (homeserver.address, homeserver.domain, appservice.address, database, bridge.permissions)\n"+
			"or set those options as %sHOMESERVER__ADDRESS-style environment variables, then start the container again:\n"+
			"the next start writes the registration for your homeserver.\n", p.config, envPrefix)
		return nil
	} else if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	if err := applyEnvPermissions(p.config); err != nil {
		return err
	}
	if _, err := os.Stat(p.registration); errors.Is(err, os.ErrNotExist) {
		if err = run("-g", "-c", p.config, "-r", p.registration); err != nil {
			return err
		}
		// The homeserver's container reads the registration from this volume as another user
		// (Synapse's image runs as uid 991); config.yaml, with the same tokens, stays private.
		if err = os.Chmod(p.registration, 0o644); err != nil {
			return fmt.Errorf("make the registration readable: %w", err)
		}
		fmt.Fprintf(out, "Wrote %s. Add it to app_service_config_files in the homeserver's homeserver.yaml,\n"+
			"restart the homeserver, then start this container again: the bridge runs from then on.\n", p.registration)
		return nil
	} else if err != nil {
		return fmt.Errorf("read registration: %w", err)
	}
	// Replace this process, so that the bridge gets the container's signals as PID 1.
	argv := []string{p.binary, "-c", p.config, "-r", p.registration}
	if err := syscall.Exec(p.binary, argv, os.Environ()); err != nil {
		return fmt.Errorf("start mxbridges-%s: %w", p.bridge, err)
	}
	return nil
}

// runHealth exits non-zero unless the bridge's appservice listener answers its liveness check.
func runHealth(ctx context.Context, args []string, out, _ io.Writer) error {
	path := "/data/config.yaml"
	if len(args) > 0 {
		path = args[0]
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	var cfg bridgeconfig.Config
	if err = yaml.Unmarshal(data, &cfg); err != nil {
		return fmt.Errorf("parse config: %w", err)
	}
	host, port := cfg.AppService.Hostname, strconv.Itoa(int(cfg.AppService.Port))
	// The bridge listens where its environment overrides say, if they do.
	if v, ok := envOverride("appservice", "hostname"); ok {
		host = v
	}
	if v, ok := envOverride("appservice", "port"); ok {
		port = v
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port) + "/_matrix/mau/live"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("make health request: %w", err)
	}
	resp, err := (&http.Client{Timeout: checkTimeout}).Do(req)
	if err != nil {
		return fmt.Errorf("bridge not live: %w", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bridge not live: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(out, "live")
	return nil
}
