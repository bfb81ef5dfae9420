package synapse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"maunium.net/go/mautrix/appservice"

	"github.com/mxbridges/mxbridges/pkg/loopback"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Name labels the server's directory and log; it helps when several run at once.
	Name string
	// ServerName is the Matrix server name (the part after the colon in user IDs); default "localhost".
	ServerName string
	// Port to listen on; 0 picks a free one.
	Port int
	// Root is the Synapse chroot; empty means [Ensure] (install if missing).
	Root string
}

// Server is one Synapse process. Create it with [New], add appservice registrations, then
// [Server.Start] it; [Server.Stop] ends the process and [Server.Remove] deletes its directory.
type Server struct {
	// URL is the client-server API base URL, e.g. http://127.0.0.1:41234.
	URL string
	// ServerName is the Matrix server name.
	ServerName string
	// SharedSecret authorises user registration through the admin API.
	SharedSecret string
	// Dir is the server's directory on the host (it is inside the chroot).
	Dir string

	name          string
	port          int
	root          string
	inRoot        string // Dir as seen from inside the chroot
	registrations []string
	cmd           *exec.Cmd
	exited        chan struct{}
	exitErr       error
	stopOnce      sync.Once
}

// New prepares a server: it resolves the chroot (installing it if needed), picks the port and
// creates the server's directory, so that URL is known before bridges are configured.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.ServerName == "" {
		opts.ServerName = "localhost"
	}
	if opts.Name == "" {
		opts.Name = "synapse"
	}
	root := opts.Root
	if root == "" {
		var err error
		if root, err = Ensure(ctx); err != nil {
			return nil, err
		}
	}
	port := opts.Port
	if port == 0 {
		var err error
		if port, err = loopback.FreePort(); err != nil {
			return nil, fmt.Errorf("pick synapse port: %w", err)
		}
	}
	base := filepath.Join(root, "var", "lib", "mxbridges")
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("create synapse base dir: %w", err)
	}
	dir, err := os.MkdirTemp(base, safeName(opts.Name)+"-*")
	if err != nil {
		return nil, fmt.Errorf("create synapse dir: %w", err)
	}
	return &Server{
		URL:          loopback.URL(port),
		ServerName:   opts.ServerName,
		SharedSecret: randomToken(),
		Dir:          dir,
		name:         opts.Name,
		port:         port,
		root:         root,
		inRoot:       "/" + strings.TrimPrefix(strings.TrimPrefix(dir, root), "/"),
	}, nil
}

// AddRegistration writes an appservice registration that the server will load when it starts.
func (s *Server) AddRegistration(reg *appservice.Registration) error {
	if s.cmd != nil {
		return errors.New("add registration: synapse already started; registrations are read at start")
	}
	file := fmt.Sprintf("registration-%s.yaml", safeName(reg.ID))
	if err := reg.Save(filepath.Join(s.Dir, file)); err != nil {
		return fmt.Errorf("save registration %s: %w", reg.ID, err)
	}
	s.registrations = append(s.registrations, s.inRoot+"/"+file)
	return nil
}

// LogPath is the host path of the server's log (its stdout and stderr).
func (s *Server) LogPath() string { return filepath.Join(s.Dir, "homeserver.log") }

// Start writes the configuration, starts Synapse and waits until its client API answers.
func (s *Server) Start(ctx context.Context) error {
	cfg, err := homeserverConfig(s.ServerName, s.port, s.inRoot, s.SharedSecret, s.registrations)
	if err != nil {
		return err
	}
	if err = os.WriteFile(filepath.Join(s.Dir, "homeserver.yaml"), cfg, 0o600); err != nil {
		return fmt.Errorf("write homeserver.yaml: %w", err)
	}
	// A restarted server keeps its signing key, its database and its log.
	if _, err = os.Stat(filepath.Join(s.Dir, "signing.key")); os.IsNotExist(err) {
		key, err := signingKey()
		if err != nil {
			return err
		}
		if err = os.WriteFile(filepath.Join(s.Dir, "signing.key"), key, 0o600); err != nil {
			return fmt.Errorf("write signing key: %w", err)
		}
	}
	logFile, err := os.OpenFile(s.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("create synapse log: %w", err)
	}
	s.cmd = exec.Command("chroot", s.root, "python3", "-m", "synapse.app.homeserver", "-c", s.inRoot+"/homeserver.yaml")
	s.cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "HOME=/root", "PYTHONDONTWRITEBYTECODE=1"}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// If the test binary or dev stack dies, Synapse must not outlive it.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err = s.cmd.Start(); err != nil {
		_ = logFile.Close()
		return fmt.Errorf("start synapse: %w", err)
	}
	s.exited = make(chan struct{})
	s.stopOnce = sync.Once{}
	go func() {
		s.exitErr = s.cmd.Wait()
		_ = logFile.Close()
		close(s.exited)
	}()
	if err = s.waitReady(ctx, 90*time.Second); err != nil {
		s.Stop()
		return err
	}
	return nil
}

func (s *Server) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/_matrix/client/versions", nil)
		if resp, err := client.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("synapse exited before it was ready (%v); last log lines:\n%s", s.exitErr, s.LogTail(30))
		case <-ctx.Done():
			return fmt.Errorf("synapse not ready at %s after %s; last log lines:\n%s", s.URL, limit, s.LogTail(30))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Stop ends the Synapse process: SIGTERM, then SIGKILL after 10 seconds. It is safe to call
// twice. Start after Stop runs the same server again (same port, data and key).
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		if s.cmd == nil || s.cmd.Process == nil {
			return
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
}

// Remove deletes the server's directory. Call it after Stop, unless the log should be kept.
func (s *Server) Remove() error {
	if err := os.RemoveAll(s.Dir); err != nil {
		return fmt.Errorf("remove synapse dir: %w", err)
	}
	return nil
}

// LogTail returns the last n lines of the server's log, for error messages.
func (s *Server) LogTail(n int) string {
	data, err := os.ReadFile(s.LogPath())
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// UserID returns the full Matrix ID of a local user.
func (s *Server) UserID(localpart string) string {
	return "@" + localpart + ":" + s.ServerName
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}
