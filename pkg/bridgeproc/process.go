package bridgeproc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
)

// Process is one bridge binary with its config, registration and log in Dir.
type Process struct {
	Name             string
	Binary           string
	Dir              string
	ConfigPath       string
	RegistrationPath string
	LogPath          string
	Registration     *appservice.Registration
	Config           *bridgeconfig.Config

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
}

// Prepare generates the config and registration of binary in dir, applying p to the example
// config. Nothing runs yet: the registration must reach the homeserver before Start.
func Prepare(ctx context.Context, name, binary, dir string, p bridgeconf.Params) (*Process, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, fmt.Errorf("resolve bridge binary: %w", err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create bridge dir: %w", err)
	}
	pr := &Process{
		Name:             name,
		Binary:           abs,
		Dir:              dir,
		ConfigPath:       filepath.Join(dir, "config.yaml"),
		RegistrationPath: filepath.Join(dir, "registration.yaml"),
		LogPath:          filepath.Join(dir, "bridge.log"),
	}
	_ = os.Remove(pr.ConfigPath)
	if err = pr.run(ctx, "-e", "-c", pr.ConfigPath); err != nil {
		return nil, fmt.Errorf("write example config: %w", err)
	}
	if err = bridgeconf.Apply(pr.ConfigPath, p.Settings()); err != nil {
		return nil, err
	}
	if err = pr.run(ctx, "-g", "-c", pr.ConfigPath, "-r", pr.RegistrationPath); err != nil {
		return nil, fmt.Errorf("generate registration: %w", err)
	}
	if pr.Registration, err = appservice.LoadRegistration(pr.RegistrationPath); err != nil {
		return nil, fmt.Errorf("load registration: %w", err)
	}
	data, err := os.ReadFile(pr.ConfigPath)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	pr.Config = &bridgeconfig.Config{}
	if err = yaml.Unmarshal(data, pr.Config); err != nil {
		return nil, fmt.Errorf("parse config: %w", err)
	}
	return pr, nil
}

// run runs the binary to completion with args (used for -e and -g).
func (pr *Process) run(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, pr.Binary, args...)
	cmd.Dir = pr.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %v: %w: %s", filepath.Base(pr.Binary), args, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

// BotMXID is the bridge bot's Matrix user ID.
func (pr *Process) BotMXID() id.UserID {
	return id.NewUserID(pr.Config.AppService.Bot.Username, pr.Config.Homeserver.Domain)
}

// Start runs the bridge in the background; its stdout and stderr go to LogPath.
func (pr *Process) Start() error {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.cmd != nil {
		return fmt.Errorf("start %s: already running", pr.Name)
	}
	logFile, err := os.OpenFile(pr.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open bridge log: %w", err)
	}
	cmd := exec.Command(pr.Binary, "-c", pr.ConfigPath, "-r", pr.RegistrationPath)
	cmd.Dir = pr.Dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err = cmd.Start(); err != nil {
		_ = logFile.Close()
		return fmt.Errorf("start %s: %w", pr.Name, err)
	}
	pr.cmd, pr.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) {
		err := cmd.Wait()
		_ = logFile.Close()
		pr.mu.Lock()
		pr.exitErr = err
		pr.mu.Unlock()
		close(exited)
	}(pr.exited)
	return nil
}

// Pid is the process ID of the running bridge, 0 when it is not running.
func (pr *Process) Pid() int {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.cmd == nil || pr.cmd.Process == nil {
		return 0
	}
	return pr.cmd.Process.Pid
}

// Exited is closed when the running process ends; nil if it never started.
func (pr *Process) Exited() <-chan struct{} {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.exited
}

// Stop asks the bridge to stop (SIGTERM) and kills it after timeout.
func (pr *Process) Stop(timeout time.Duration) error {
	return pr.signal(syscall.SIGTERM, timeout)
}

// Kill ends the bridge at once (SIGKILL), as a crash would.
func (pr *Process) Kill() error {
	return pr.signal(syscall.SIGKILL, 10*time.Second)
}

func (pr *Process) signal(sig syscall.Signal, timeout time.Duration) error {
	pr.mu.Lock()
	cmd, exited := pr.cmd, pr.exited
	pr.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-exited:
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-exited
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.cmd = nil
	if sig == syscall.SIGTERM && pr.exitErr != nil {
		return fmt.Errorf("stop %s: %w", pr.Name, pr.exitErr)
	}
	return nil
}
