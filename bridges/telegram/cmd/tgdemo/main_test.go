package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake/demo"
)

// TestRunWritesInfoAndStops checks the command's life: it writes the info file once the
// network is up and returns without an error when it is told to stop.
func TestRunWritesInfoAndStops(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, demo.Options{Phone: "15550107777"}, out) }()
	deadline := time.After(time.Minute)
	var info demo.Info
	for {
		data, err := os.ReadFile(out)
		if err == nil {
			if err = json.Unmarshal(data, &info); err != nil {
				t.Fatalf("info file: %v", err)
			}
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended before writing %s: %v", out, err)
		case <-deadline:
			t.Fatalf("no %s after a minute", out)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if info.Phone != "+15550107777" || info.Code != demo.DefaultCode {
		t.Errorf("info = %+v", info)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after stop: %v", err)
	}
}
