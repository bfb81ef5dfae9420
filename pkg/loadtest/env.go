package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Environment knobs. `make test` runs every bench test small, as a check that the harness
// works; `make bench` sets these for real figures.
const (
	// EnvSamples is the number of latency samples per path.
	EnvSamples = "MXB_BENCH_SAMPLES"
	// EnvMessages is the number of messages per path in the throughput runs.
	EnvMessages = "MXB_BENCH_MESSAGES"
	// EnvPortals is the number of chats the throughput runs spread over.
	EnvPortals = "MXB_BENCH_PORTALS"
	// EnvOut names a folder where each bench test writes its Result as <bridge>.json, for
	// the report that ends `make bench`.
	EnvOut = "MXB_BENCH_OUT"
)

// Small is the size `make test` runs bench tests at.
var Small = Options{Samples: 5, Messages: 40, Portals: 4}

// FromEnv returns o with Samples, Messages and Portals taken from the environment where set,
// and from Small where neither sets them.
func FromEnv(o Options) (Options, error) {
	for _, k := range []struct {
		env   string
		dst   *int
		small int
	}{
		{EnvSamples, &o.Samples, Small.Samples},
		{EnvMessages, &o.Messages, Small.Messages},
		{EnvPortals, &o.Portals, Small.Portals},
	} {
		v := strings.TrimSpace(os.Getenv(k.env))
		switch {
		case v != "":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return o, fmt.Errorf("read %s: %q is not a positive number", k.env, v)
			}
			*k.dst = n
		case *k.dst == 0:
			*k.dst = k.small
		}
	}
	if o.Portals > o.Messages {
		return o, fmt.Errorf("read bench size: %d portals need at least as many messages, got %d", o.Portals, o.Messages)
	}
	return o, nil
}

// Run benches one bridge from a test: it sizes the run from the environment, logs the table
// and writes the Result for the report when EnvOut is set. It fails t only when a message is
// lost or duplicated or the stack breaks, never because a figure is slow.
func Run(t *testing.T, o Options) Result {
	t.Helper()
	o, err := FromEnv(o)
	if err != nil {
		t.Fatal(err)
	}
	if o.Log == nil {
		o.Log = t.Logf
	}
	r, err := Bench(context.Background(), o)
	if err != nil {
		t.Fatalf("bench %s: %v", o.Target.Name(), err)
	}
	var b strings.Builder
	WriteTable(&b, r)
	t.Log(b.String())
	if dir := os.Getenv(EnvOut); dir != "" {
		if err := WriteResult(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// CheckMeasured fails t for every figure of r that was not taken (a latency summary without
// samples, a throughput of zero); it never judges how fast a figure is.
func CheckMeasured(t *testing.T, r Result) {
	t.Helper()
	for name, s := range map[string]Summary{"baseline": r.Baseline, "network→Matrix": r.ToMatrix, "Matrix→network": r.ToNetwork} {
		if s.N == 0 || s.P50 <= 0 || s.P99 < s.P50 {
			t.Errorf("%s latency summary %+v: not measured", name, s)
		}
	}
	for name, rate := range map[string]float64{"baseline": r.BaselineRate, "network→Matrix": r.ToMatrixRate, "Matrix→network": r.ToNetworkRate} {
		if rate <= 0 {
			t.Errorf("%s throughput %v: not measured", name, rate)
		}
	}
}

// WriteResult stores r as dir/<bridge>.json.
func WriteResult(dir string, r Result) error { return writeJSON(dir, r.Bridge, r) }

// WriteResultPart stores the figures one test of a bridge measured as dir/<bridge>-<part>.json,
// for figures measured apart from the latency and throughput run (memory, startup).
func WriteResultPart(dir, part string, r Result) error {
	return writeJSON(dir, r.Bridge+"-"+part, r)
}

// ReadResults loads every Result in dir, in file name order, one per bridge: the parts a
// bridge's tests wrote (WriteResult, WriteResultPart) are merged, a measured figure over an
// unmeasured one.
func ReadResults(dir string) ([]Result, error) {
	parts, err := readJSON[Result](dir)
	if err != nil {
		return nil, err
	}
	var out []Result
	index := map[string]int{}
	for _, p := range parts {
		i, ok := index[p.Bridge]
		if !ok {
			index[p.Bridge] = len(out)
			out = append(out, p)
			continue
		}
		out[i] = out[i].merge(p)
	}
	return out, nil
}

// WriteCounts stores a scenario's counts as dir/<name>.json.
func WriteCounts(dir, name string, c Counts) error { return writeJSON(dir, name, c) }

// ReadCounts loads every scenario's Counts in dir, in file name order.
func ReadCounts(dir string) ([]Counts, error) { return readJSON[Counts](dir) }

func writeJSON(dir, name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create result folder: %w", err)
	}
	if err = os.WriteFile(filepath.Join(dir, name+".json"), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

func readJSON[T any](dir string) ([]T, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list results: %w", err)
	}
	var out []T
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read result: %w", err)
		}
		var v T
		if err = json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("decode result %s: %w", filepath.Base(f), err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Chaos knobs: `make test` runs every scenario small; `make chaos` sets these.
const (
	// EnvChaosMessages is the number of messages per direction of a scenario.
	EnvChaosMessages = "MXB_CHAOS_MESSAGES"
	// EnvChaosDown is how long a stopped homeserver stays down, as a Go duration.
	EnvChaosDown = "MXB_CHAOS_DOWN"
	// EnvChaosOut names a folder where each scenario writes its Counts as <name>.json.
	EnvChaosOut = "MXB_CHAOS_OUT"
)

// ChaosSize returns the message count and homeserver downtime of a scenario from the
// environment, or the small defaults of `make test`.
func ChaosSize() (messages int, down time.Duration, err error) {
	messages, down = 200, 5*time.Second
	if v := strings.TrimSpace(os.Getenv(EnvChaosMessages)); v != "" {
		if messages, err = strconv.Atoi(v); err != nil || messages <= 0 {
			return 0, 0, fmt.Errorf("read %s: %q is not a positive number", EnvChaosMessages, v)
		}
	}
	if v := strings.TrimSpace(os.Getenv(EnvChaosDown)); v != "" {
		if down, err = time.ParseDuration(v); err != nil || down <= 0 {
			return 0, 0, fmt.Errorf("read %s: %q is not a positive duration", EnvChaosDown, v)
		}
	}
	return messages, down, nil
}

// RunChaos runs one scenario from a test and fails it when a message was lost, duplicated or
// reordered. It writes the counts for the `make chaos` report when EnvChaosOut is set.
func RunChaos(t *testing.T, name string, o ChaosOptions) Counts {
	t.Helper()
	if o.Log == nil {
		o.Log = t.Logf
	}
	c, err := Chaos(context.Background(), o)
	if err != nil {
		t.Fatalf("chaos %s: %v", name, err)
	}
	t.Logf("%s: %s out_of_order=%d", name, c.Line(), c.OutOfOrder)
	if dir := os.Getenv(EnvChaosOut); dir != "" {
		if err := WriteCounts(dir, name, c); err != nil {
			t.Fatal(err)
		}
	}
	if c.Lost != 0 || c.Duplicated != 0 || c.OutOfOrder != 0 {
		t.Errorf("%s: every message must arrive exactly once and in order per chat: %+v", name, c)
	}
	return c
}
