package bridgetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
	"github.com/mxbridges/mxbridges/pkg/synapse"
)

// Stack is one Synapse and the bridges registered with it.
type Stack struct {
	Synapse *synapse.Server
	// Dir holds the bridges' configs, logs and SQLite files.
	Dir     string
	Bridges []*Bridge
	// Processes are bridges that run as built binaries.
	Processes []*ProcessBridge

	users atomic.Int64

	mu         sync.Mutex
	secrets    []Secret
	afterTests []func() error
}

// NewStack prepares a Synapse (installing it on first use) and an artifact directory. Bridges
// are added with AddBridge before Start.
func NewStack(ctx context.Context, name string) (*Stack, error) {
	base := os.Getenv("MXB_ARTIFACTS")
	if base != "" {
		if err := os.MkdirAll(base, 0o755); err != nil {
			return nil, fmt.Errorf("create artifact base: %w", err)
		}
	}
	dir, err := os.MkdirTemp(base, "mxbridges-"+name+"-*")
	if err != nil {
		return nil, fmt.Errorf("create artifact dir: %w", err)
	}
	srv, err := synapse.New(ctx, synapse.Options{Name: name})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return &Stack{Synapse: srv, Dir: dir}, nil
}

// AddBridge generates a bridge's config and registration and registers it with Synapse.
func (s *Stack) AddBridge(ctx context.Context, opts BridgeOptions) (*Bridge, error) {
	b, err := newBridge(ctx, s.Dir, s.Synapse.URL, s.Synapse.ServerName, opts)
	if err != nil {
		return nil, err
	}
	s.Bridges = append(s.Bridges, b)
	if err = s.Synapse.AddRegistration(b.Registration); err != nil {
		return nil, err
	}
	return b, nil
}

// Start starts Synapse, then every bridge.
func (s *Stack) Start(ctx context.Context) error {
	if err := s.Synapse.Start(ctx); err != nil {
		return err
	}
	for _, b := range s.Bridges {
		if err := b.Start(ctx); err != nil {
			return fmt.Errorf("%w; last bridge log lines:\n%s", err, b.LogTail(20))
		}
	}
	for _, p := range s.Processes {
		if err := p.Start(); err != nil {
			return err
		}
	}
	return nil
}

// Stop stops the bridges and Synapse and drops their databases. With keep, the artifact
// directory (bridge logs, configs, Synapse's log) stays for inspection and its path is
// returned; otherwise everything is removed.
func (s *Stack) Stop(keep bool) string {
	s.shutdown()
	return s.cleanup(keep)
}

// shutdown stops every bridge and Synapse; their logs stay.
func (s *Stack) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range s.Processes {
		p.close(ctx)
	}
	for _, b := range s.Bridges {
		b.close(ctx)
	}
	s.Synapse.Stop()
}

// cleanup removes what shutdown left, keeping the artifact directory with keep.
func (s *Stack) cleanup(keep bool) string {
	if keep {
		_ = copyFile(s.Synapse.LogPath(), filepath.Join(s.Dir, "synapse.log"))
	}
	_ = s.Synapse.Remove()
	if keep {
		return s.Dir
	}
	_ = os.RemoveAll(s.Dir)
	return ""
}

// NewUser registers a fresh Matrix user whose localpart starts with prefix and logs it in. The
// user's sync loop ends with the test.
func (s *Stack) NewUser(t testing.TB, prefix string) *matrixtest.User {
	t.Helper()
	return s.User(t, fmt.Sprintf("%s-%d", prefix, s.users.Add(1)))
}

// User registers a user with exactly this localpart and logs it in.
func (s *Stack) User(t testing.TB, localpart string) *matrixtest.User {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	password := "pw-" + localpart
	s.AddSecret("Matrix password of "+localpart, password)
	acct, err := s.Synapse.RegisterUser(ctx, localpart, password, false)
	if err != nil {
		t.Fatalf("register %s: %v", localpart, err)
	}
	s.AddSecret("Matrix access token of "+acct.UserID, acct.AccessToken)
	return matrixtest.Login(t, s.Synapse.URL, matrixtest.Account{
		UserID: acct.UserID, AccessToken: acct.AccessToken, DeviceID: acct.DeviceID,
	})
}

// AfterTests adds a check that Main runs once the tests have run and the bridges and Synapse
// have stopped, before their logs are removed (e.g. [Stack.CheckLogs]). A check that returns an
// error fails the run; the error is printed.
func (s *Stack) AfterTests(check func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterTests = append(s.afterTests, check)
}

// Main is a whole TestMain: it builds a stack named after the package, lets setup add bridges
// (and keep references to them), starts everything, runs the tests, stops the stack, runs the
// AfterTests checks and then [Stack.CheckLogs], and removes the artifacts (keeping them if
// anything failed). It returns the
// exit code for os.Exit.
func Main(m *testing.M, name string, setup func(ctx context.Context, s *Stack) error) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	stack, err := NewStack(ctx, name)
	if err == nil {
		err = setup(ctx, stack)
		if err == nil {
			err = stack.Start(ctx)
		}
	}
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bridgetest: set up stack %s: %v\n", name, err)
		if stack != nil {
			fmt.Fprintf(os.Stderr, "bridgetest: logs kept in %s\n", stack.Stop(true))
		}
		return 1
	}
	code := m.Run()
	stack.shutdown()
	stack.mu.Lock()
	checks := stack.afterTests
	stack.mu.Unlock()
	// Every run ends with the scan for secrets in its logs, after the checks that may add
	// secrets of their own.
	for _, check := range append(checks, stack.CheckLogs) {
		if err := check(); err != nil {
			fmt.Fprintf(os.Stderr, "bridgetest: FAIL after the tests of %s:\n%v\n", name, err)
			code = 1
		}
	}
	if dir := stack.cleanup(code != 0); dir != "" {
		fmt.Fprintf(os.Stderr, "bridgetest: tests failed; bridge and Synapse logs kept in %s\n", dir)
	}
	return code
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	defer out.Close()
	if _, err = io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return nil
}
