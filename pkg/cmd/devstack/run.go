package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"maunium.net/go/mautrix"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/bridgeproc"
	"github.com/mxbridges/mxbridges/pkg/loopback"
	"github.com/mxbridges/mxbridges/pkg/synapse"
)

type options struct {
	bridges  bridgeList
	port     int
	user     string
	password string
	// demo is a demo network binary to run first (tgdemo), demoInterval its time between
	// timed posts (0: its default).
	demo         string
	demoInterval time.Duration
}

// stack is what run started, for the summary and for cleanup.
type stack struct {
	dir     string
	synapse *synapse.Server
	bridges []*bridgeproc.Process
	demo    *demoNet
}

// run brings the stack up, calls ready (if set) once it is, and tears it down when ctx ends.
func run(ctx context.Context, opts options, out io.Writer, ready func(*stack)) (err error) {
	st := &stack{}
	defer func() {
		if cerr := st.teardown(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if st.dir, err = os.MkdirTemp("", "mxbridges-dev-*"); err != nil {
		return fmt.Errorf("create work dir: %w", err)
	}
	fmt.Fprintln(out, "Preparing Synapse (the first run installs it, which takes a few minutes)...")
	port := opts.port
	if port != 0 && !portFree(port) {
		fmt.Fprintf(out, "Port %d is taken; picking a free one.\n", port)
		port = 0
	}
	if st.synapse, err = synapse.New(ctx, synapse.Options{Name: "dev", Port: port}); err != nil {
		return err
	}
	if opts.demo != "" {
		fmt.Fprintln(out, "Starting the demo network...")
		dir := filepath.Join(st.dir, "demo")
		if err = os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create demo dir: %w", err)
		}
		st.demo, err = startDemo(ctx, opts.demo, dir, opts.demoInterval)
		if err != nil {
			return err
		}
	}
	for _, bin := range opts.bridges {
		if err = st.prepareBridge(ctx, bin, opts.user); err != nil {
			return err
		}
	}
	if err = st.pointHub(); err != nil {
		return err
	}
	if err = st.synapse.Start(ctx); err != nil {
		return err
	}
	acct, err := st.synapse.RegisterUser(ctx, opts.user, opts.password, true)
	if err != nil {
		return err
	}
	for _, b := range st.bridges {
		if err = b.Start(); err != nil {
			return err
		}
		if err = waitBridge(ctx, st.synapse.URL, b); err != nil {
			return err
		}
	}
	st.summary(out, acct.UserID, opts.password)
	if ready != nil {
		ready(st)
	}
	<-ctx.Done()
	fmt.Fprintln(out, "\nStopping and removing the dev stack...")
	return nil
}

func (st *stack) prepareBridge(ctx context.Context, bin, user string) error {
	name := strings.TrimPrefix(filepath.Base(bin), "mxbridges-")
	port, err := loopback.FreePort()
	if err != nil {
		return err
	}
	dir := filepath.Join(st.dir, name)
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s dir: %w", name, err)
	}
	var extra map[string]any
	if st.demo != nil && st.demo.Info.Bridge == name {
		extra = st.demo.Info.Config
	}
	p, err := bridgeproc.Prepare(ctx, name, bin, dir, bridgeconf.Params{
		HomeserverURL: st.synapse.URL,
		ServerName:    st.synapse.ServerName,
		ListenPort:    port,
		DatabaseType:  "sqlite3-fk-wal",
		DatabaseURI:   "file:" + filepath.Join(dir, name+".db") + "?_txlock=immediate",
		Permissions: map[string]string{
			"*":                     "relay",
			st.synapse.ServerName:   "user",
			st.synapse.UserID(user): "admin",
		},
		Extra: extra,
	})
	if err != nil {
		return fmt.Errorf("prepare bridge %s: %w", name, err)
	}
	if err = st.synapse.AddRegistration(p.Registration); err != nil {
		return err
	}
	st.bridges = append(st.bridges, p)
	return nil
}

// waitBridge waits until Synapse can reach the bridge's appservice listener.
func waitBridge(ctx context.Context, hsURL string, b *bridgeproc.Process) error {
	cli, err := mautrix.NewClient(hsURL, b.BotMXID(), b.Registration.AppToken)
	if err != nil {
		return fmt.Errorf("create client for %s: %w", b.Name, err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		if _, err = cli.AppservicePing(ctx, b.Registration.ID, "devstack-ready"); err == nil {
			return nil
		}
		select {
		case <-b.Exited():
			return fmt.Errorf("bridge %s exited during start; see %s", b.Name, b.LogPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bridge %s not reachable after 90s (last error: %v); see %s", b.Name, err, b.LogPath)
		}
	}
}

func (st *stack) summary(out io.Writer, userID, password string) {
	fmt.Fprintf(out, "\nThe mxbridges dev stack is up.\n\n")
	fmt.Fprintf(out, "  Homeserver URL: %s   (server name %q)\n", st.synapse.URL, st.synapse.ServerName)
	fmt.Fprintf(out, "  Matrix user:    %s   password: %s\n", userID, password)
	if len(st.bridges) == 0 {
		fmt.Fprintf(out, "  Bridges:        none yet (no bridges/*/ module exists): running Synapse alone.\n")
	}
	for _, b := range st.bridges {
		fmt.Fprintf(out, "  Bridge bot:     %s   (%s, log %s)\n", b.BotMXID(), b.Name, b.LogPath)
	}
	fmt.Fprintf(out, "\nLog in with any Matrix client: in Element, choose \"Edit\" next to the homeserver and enter %s.\n", st.synapse.URL)
	if len(st.bridges) > 0 {
		fmt.Fprintf(out, "Then start a chat with a bridge bot and send \"help\".\n")
	}
	st.demoSummary(out)
	st.hubSummary(out)
	fmt.Fprintf(out, "Press Ctrl-C to stop; everything above is removed when the stack stops.\n")
}

func (st *stack) teardown() error {
	var errs []error
	for _, b := range st.bridges {
		if err := b.Stop(10 * time.Second); err != nil {
			errs = append(errs, err)
		}
	}
	if st.demo != nil {
		if err := st.demo.stop(10 * time.Second); err != nil {
			errs = append(errs, err)
		}
	}
	if st.synapse != nil {
		st.synapse.Stop()
		if err := st.synapse.Remove(); err != nil {
			errs = append(errs, err)
		}
	}
	if st.dir != "" {
		if err := os.RemoveAll(st.dir); err != nil {
			errs = append(errs, fmt.Errorf("remove work dir: %w", err))
		}
	}
	return errors.Join(errs...)
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort(loopback.Host, strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}
