package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// demoInfo is what a demo network binary writes to its -out file (tgdemo: see
// bridges/telegram/tgfake/demo.Info): the bridge it is for, that bridge's config options to
// reach it, and how a newcomer logs in.
type demoInfo struct {
	Bridge   string         `json:"bridge"`
	Config   map[string]any `json:"config"`
	Phone    string         `json:"phone"`
	Code     string         `json:"code"`
	Account  string         `json:"account"`
	Contacts []string       `json:"contacts"`
	Group    string         `json:"group"`
	Channel  string         `json:"channel"`
}

// demoNet is a running demo network binary.
type demoNet struct {
	Bin, LogPath, InfoPath string
	Info                   demoInfo

	cmd    *exec.Cmd
	exited chan struct{}
}

// demoStartWait is how long a demo network may take to write its info file.
const demoStartWait = time.Minute

// startDemo runs a demo network binary with its files in dir and waits for its info file.
func startDemo(ctx context.Context, bin, dir string, interval time.Duration) (*demoNet, error) {
	abs, err := filepath.Abs(bin)
	if err != nil {
		return nil, fmt.Errorf("resolve demo binary: %w", err)
	}
	d := &demoNet{Bin: abs, LogPath: filepath.Join(dir, "demo.log"), InfoPath: filepath.Join(dir, "demo.json"), exited: make(chan struct{})}
	logFile, err := os.OpenFile(d.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open demo log: %w", err)
	}
	args := []string{"-out", d.InfoPath}
	if interval > 0 {
		args = append(args, "-interval", interval.String())
	}
	d.cmd = exec.Command(abs, args...)
	d.cmd.Dir = dir
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err = d.cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("start demo network %s: %w", filepath.Base(abs), err)
	}
	go func() {
		_ = d.cmd.Wait()
		_ = logFile.Close()
		close(d.exited)
	}()
	deadline := time.After(demoStartWait)
	for {
		data, err := os.ReadFile(d.InfoPath)
		if err == nil {
			if err = json.Unmarshal(data, &d.Info); err != nil {
				return d, fmt.Errorf("parse %s: %w", d.InfoPath, err)
			}
			return d, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return d, fmt.Errorf("read demo info: %w", err)
		}
		select {
		case <-d.exited:
			return d, fmt.Errorf("demo network %s exited during start; see %s", filepath.Base(abs), d.LogPath)
		case <-ctx.Done():
			return d, ctx.Err()
		case <-deadline:
			return d, fmt.Errorf("demo network %s wrote no %s within %s; see %s", filepath.Base(abs), d.InfoPath, demoStartWait, d.LogPath)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop asks the demo network to end (SIGTERM) and kills it after timeout.
func (d *demoNet) stop(timeout time.Duration) error {
	select {
	case <-d.exited:
		return nil
	default:
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop demo network: %w", err)
	}
	select {
	case <-d.exited:
		return nil
	case <-time.After(timeout):
		_ = d.cmd.Process.Kill()
		<-d.exited
		return fmt.Errorf("demo network did not stop within %s; killed it", timeout)
	}
}

// demoSummary tells how to log in to the demo network, if one runs.
func (st *stack) demoSummary(out io.Writer) {
	if st.demo == nil {
		return
	}
	info := st.demo.Info
	bot := ""
	for _, b := range st.bridges {
		if b.Name == info.Bridge {
			bot = b.BotMXID().String()
		}
	}
	if bot == "" {
		fmt.Fprintf(out, "\nA demo %s network runs, but no %s bridge does: nothing is bridged to it.\n", network(info.Bridge), info.Bridge)
		return
	}
	fmt.Fprintf(out, "\nA demo %s network runs too (log %s): %s's contacts %s, the group %q and the channel %q.\n",
		network(info.Bridge), st.demo.LogPath, info.Account, strings.Join(info.Contacts, ", "), info.Group, info.Channel)
	fmt.Fprintf(out, "To try it, start a chat with %s and send\n\n    login phone %s\n\nthen the code %s.\n", bot, info.Phone, info.Code)
	fmt.Fprintf(out, "The demo contacts greet you in seconds: accept the invites, and answer them in the chat, the group or both.\n")
}

// network is the display name of a bridge's network: "telegram" is Telegram.
func network(bridge string) string {
	if bridge == "" {
		return bridge
	}
	return strings.ToUpper(bridge[:1]) + bridge[1:]
}
