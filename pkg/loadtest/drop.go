package loadtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// EnvChaosDrop is how long a fake network's connection stays dropped in scenario 4, as a Go
// duration (default 3s, the `make test` size).
const EnvChaosDrop = "MXB_CHAOS_DROP"

// ChaosDrop returns how long scenario 4 keeps the fake network's connection dropped.
func ChaosDrop() (time.Duration, error) {
	d := 3 * time.Second
	if v := strings.TrimSpace(os.Getenv(EnvChaosDrop)); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d <= 0 {
			return 0, fmt.Errorf("read %s: %q is not a positive duration", EnvChaosDrop, v)
		}
	}
	return d, nil
}

// Link is a fake network's connection to the bridge, which a test can cut and give back.
// Implementations live in each bridge's fake.
type Link interface {
	// Drop closes the bridge's connections to the fake network and refuses new ones until
	// Restore. It returns once the bridge has been cut off. What the network's side sends
	// meanwhile waits on the network, as a real server keeps messages for an offline device.
	Drop(ctx context.Context) error
	// Restore accepts connections again; the bridge reconnects on its own.
	Restore(ctx context.Context) error
}

// NetworkDrop is the fault of the fake network's connection dropped for d: the bridge must
// notice (TRANSIENT_DISCONNECT), reconnect once the network is back and catch up. Heal only
// restores the network; waiting for the bridge is the bridge's job, and the counts tell
// whether it did it.
func NetworkDrop(link Link, d time.Duration) Fault {
	return Fault{
		Name:  fmt.Sprintf("drop the network connection for %s", d),
		Break: link.Drop,
		Heal:  link.Restore,
		Lasts: d,
	}
}
