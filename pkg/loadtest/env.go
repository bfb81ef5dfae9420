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

// WriteResult stores r as dir/<bridge>.json.
func WriteResult(dir string, r Result) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode bench result: %w", err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create bench output: %w", err)
	}
	if err = os.WriteFile(filepath.Join(dir, r.Bridge+".json"), data, 0o644); err != nil {
		return fmt.Errorf("write bench result: %w", err)
	}
	return nil
}

// ReadResults loads every Result in dir, in file name order.
func ReadResults(dir string) ([]Result, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list bench results: %w", err)
	}
	var out []Result
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read bench result: %w", err)
		}
		var r Result
		if err = json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("decode bench result %s: %w", filepath.Base(f), err)
		}
		out = append(out, r)
	}
	return out, nil
}
