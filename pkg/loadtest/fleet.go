package loadtest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"
)

// The memory and startup bench runs a bridge binary with a fleet of logins seeded into its
// database. What it needs from outside the bridge lives here: a status endpoint that sees
// every login's bridge state, the readiness wait, and the process's resident memory.

// StateWatch is a bridge's homeserver.status_endpoint: it keeps the latest bridge state of
// every login (by remote ID) and when the last one connected. Safe for concurrent use.
type StateWatch struct {
	srv  *http.Server
	addr string

	mu      sync.Mutex
	latest  map[string]status.BridgeStateEvent
	changed chan struct{} // closed and replaced on every state
	lastAt  time.Time     // when a login last reached CONNECTED
}

// NewStateWatch listens on a free loopback port until Close.
func NewStateWatch() (*StateWatch, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for bridge states: %w", err)
	}
	w := &StateWatch{addr: ln.Addr().String(), latest: map[string]status.BridgeStateEvent{}, changed: make(chan struct{})}
	w.srv = &http.Server{Handler: http.HandlerFunc(w.handle), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = w.srv.Serve(ln) }()
	return w, nil
}

// URL is the status endpoint to configure.
func (w *StateWatch) URL() string { return "http://" + w.addr + "/bridge-state" }

// Close stops listening.
func (w *StateWatch) Close() error { return w.srv.Close() }

func (w *StateWatch) handle(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var st status.BridgeState
	if err == nil {
		err = json.Unmarshal(body, &st)
	}
	if err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	if st.RemoteID != "" {
		w.mu.Lock()
		w.latest[string(st.RemoteID)] = st.StateEvent
		if st.StateEvent == status.StateConnected {
			w.lastAt = time.Now()
		}
		close(w.changed)
		w.changed = make(chan struct{})
		w.mu.Unlock()
	}
	rw.WriteHeader(http.StatusNoContent)
}

// Reset forgets every state, before the bridge starts again.
func (w *StateWatch) Reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.latest = map[string]status.BridgeStateEvent{}
	w.lastAt = time.Time{}
}

// WaitConnected waits until n logins report CONNECTED and returns when the last of them did.
func (w *StateWatch) WaitConnected(ctx context.Context, n int) (time.Time, error) {
	for {
		w.mu.Lock()
		connected, other := 0, map[status.BridgeStateEvent]int{}
		for _, st := range w.latest {
			if st == status.StateConnected {
				connected++
			} else {
				other[st]++
			}
		}
		changed, at := w.changed, w.lastAt
		w.mu.Unlock()
		if connected >= n {
			return at, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("wait for %d logins to connect: %d connected, others %v: %w", n, connected, other, ctx.Err())
		}
	}
}

// WaitReady polls mautrix's readiness endpoint under base (the bridge's appservice URL),
// which answers 200 once the homeserver answered the appservice ping and the bridge takes
// transactions, and returns when it did. exited closes if the bridge process ends; logPath
// names its log in the error then.
func WaitReady(ctx context.Context, base string, exited <-chan struct{}, logPath string) (time.Time, error) {
	last := "no answer"
	for {
		select {
		case <-exited:
			return time.Time{}, fmt.Errorf("wait for the bridge to serve: it exited (%s)", logPath)
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_matrix/mau/ready", nil)
		if err != nil {
			return time.Time{}, fmt.Errorf("build readiness request: %w", err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("wait for the bridge to serve: %s: %w", last, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// VmRSS reads a process's resident set size, in bytes, from /proc.
func VmRSS(pid int) (int64, error) {
	if pid == 0 {
		return 0, fmt.Errorf("read RSS: the bridge is not running")
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read RSS: %w", err)
	}
	defer f.Close()
	return parseVmRSS(f, pid)
}

func parseVmRSS(r io.Reader, pid int) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("read RSS: %q: %w", rest, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("read RSS of %d: no VmRSS line", pid)
}

// MiB is bytes in mebibytes.
func MiB(bytes int64) float64 { return float64(bytes) / (1 << 20) }
