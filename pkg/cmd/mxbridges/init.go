package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/bridgeproc"
)

// knownBridges are the suite's bridges, in the order init sets them up.
var knownBridges = []string{"whatsapp", "telegram"}

// initOptions are the flags of mxbridges init.
type initOptions struct {
	homeserver, domain, db, admin, bin, out string
	bridges                                 []string
	port                                    int
}

func parseInit(args []string, errOut io.Writer) (initOptions, error) {
	var o initOptions
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.homeserver, "homeserver", "", "the homeserver's client-server API URL the bridges talk to, e.g. http://127.0.0.1:8008")
	fs.StringVar(&o.domain, "domain", "", "the homeserver's server name (the part after : in user IDs)")
	fs.StringVar(&o.db, "db", "sqlite", `"sqlite" (a file per bridge in its folder) or a PostgreSQL URI with {bridge} where each bridge's database name goes`)
	fs.StringVar(&o.admin, "admin", "", "a Matrix user who gets admin rights on every bridge, e.g. @you:example.org")
	fs.StringVar(&o.bin, "bin", "", "the folder holding the mxbridges-<bridge> binaries (default: look them up in PATH)")
	fs.StringVar(&o.out, "out", "", "the folder to write DIR/<bridge>/config.yaml and registration.yaml into")
	fs.IntVar(&o.port, "port", 0, "the first appservice port (the next bridge gets the next one); 0 keeps each bridge's default")
	list := fs.String("bridges", strings.Join(knownBridges, ","), "the bridges to set up, comma-separated")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var problems []string
	if u, err := url.Parse(o.homeserver); o.homeserver == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, "--homeserver must be an http(s) URL, e.g. http://127.0.0.1:8008")
	}
	if o.domain == "" || strings.ContainsAny(o.domain, "/@ ") {
		problems = append(problems, "--domain must be the homeserver's server name, e.g. example.org")
	}
	if o.out == "" {
		problems = append(problems, "--out must name a folder")
	}
	if o.db != "sqlite" && !(strings.HasPrefix(o.db, "postgres://") || strings.HasPrefix(o.db, "postgresql://")) {
		problems = append(problems, `--db must be "sqlite" or a postgres:// URI`)
	} else if o.db != "sqlite" && !strings.Contains(o.db, "{bridge}") {
		problems = append(problems, "--db: each bridge needs a database of its own: put {bridge} where its name goes, e.g. postgres://bridges@db/mxbridges_{bridge}")
	}
	if o.admin != "" && (!strings.HasPrefix(o.admin, "@") || !strings.Contains(o.admin, ":")) {
		problems = append(problems, "--admin must be a Matrix user ID, e.g. @you:"+o.domain)
	}
	for _, b := range strings.Split(*list, ",") {
		b = strings.TrimSpace(b)
		if !slices.Contains(knownBridges, b) {
			problems = append(problems, fmt.Sprintf("--bridges: unknown bridge %q (known: %s)", b, strings.Join(knownBridges, ", ")))
			continue
		}
		if !slices.Contains(o.bridges, b) {
			o.bridges = append(o.bridges, b)
		}
	}
	if len(problems) > 0 {
		return o, errors.New(strings.Join(problems, "\n"))
	}
	return o, nil
}

// params places one bridge next to the homeserver.
func (o initOptions) params(bridge, dir string, i int) bridgeconf.Params {
	p := bridgeconf.Params{HomeserverURL: o.homeserver, ServerName: o.domain}
	if o.port != 0 {
		p.ListenPort = o.port + i
	}
	if o.db == "sqlite" {
		p.DatabaseType = "sqlite3-fk-wal"
		p.DatabaseURI = "file:" + filepath.Join(dir, bridge+".db") + "?_txlock=immediate"
	} else {
		p.DatabaseType = "postgres"
		p.DatabaseURI = strings.ReplaceAll(o.db, "{bridge}", bridge)
	}
	p.Permissions = map[string]string{o.domain: "user"}
	if o.admin != "" {
		p.Permissions[o.admin] = "admin"
	}
	return p
}

// binary finds the program of a bridge.
func (o initOptions) binary(bridge string) (string, error) {
	name := "mxbridges-" + bridge
	if o.bin != "" {
		path := filepath.Join(o.bin, name)
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("find %s: %w (build it with: make build)", name, err)
		}
		return path, nil
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("find %s in PATH: %w (build it with make build, then pass --bin bin)", name, err)
	}
	return path, nil
}

func runInit(ctx context.Context, args []string, out, errOut io.Writer) error {
	o, err := parseInit(args, errOut)
	if err != nil {
		return err
	}
	root, err := filepath.Abs(o.out)
	if err != nil {
		return fmt.Errorf("resolve --out: %w", err)
	}
	var regs []string
	for i, b := range o.bridges {
		dir := filepath.Join(root, b)
		// A second init would give the bridge new tokens that the homeserver does not know.
		if _, err := os.Stat(filepath.Join(dir, "config.yaml")); err == nil {
			return fmt.Errorf("%s is already set up in %s: remove that folder or choose another --out", b, dir)
		}
		bin, err := o.binary(b)
		if err != nil {
			return err
		}
		fmt.Fprintf(errOut, "Setting up %s in %s\n", b, dir)
		pr, err := bridgeproc.Prepare(ctx, b, bin, dir, o.params(b, dir, i))
		if err != nil {
			return fmt.Errorf("set up %s: %w", b, err)
		}
		regs = append(regs, pr.RegistrationPath)
	}
	fmt.Fprintf(out, "Wrote a config.yaml and a registration.yaml for %s under %s.\n\n", strings.Join(o.bridges, ", "), root)
	fmt.Fprintln(out, "Add this to Synapse's homeserver.yaml and restart Synapse:")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "app_service_config_files:")
	for _, r := range regs {
		fmt.Fprintf(out, "  - %s\n", r)
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Then start each bridge:")
	for _, b := range o.bridges {
		dir := filepath.Join(root, b)
		fmt.Fprintf(out, "  mxbridges-%s -c %s -r %s\n", b, filepath.Join(dir, "config.yaml"), filepath.Join(dir, "registration.yaml"))
	}
	fmt.Fprintf(out, "\nand check the setup with: mxbridges doctor %s\n", root)
	return nil
}
