package metrics

import (
	"context"
	"fmt"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/status"
)

// running is the server Start opened, closed by Stop.
var running struct {
	sync.Mutex
	srv *Server
}

// Start registers the bridge's collectors (its logins by state, its database pool) in
// Default and serves Default on cfg.Listen for the life of the process (not of ctx's
// deadline); with no Listen it does nothing. A network connector calls it from Start, after
// the bridge's database is open, and calls Stop from its Stop.
func Start(ctx context.Context, br *bridgev2.Bridge, network string, cfg Config) error {
	if cfg.Listen == "" {
		return nil
	}
	if err := Default.Watch(br, network); err != nil {
		return err
	}
	srv, err := Default.Serve(context.WithoutCancel(ctx), cfg.Listen)
	if err != nil {
		return err
	}
	running.Lock()
	defer running.Unlock()
	running.srv = srv
	return nil
}

// Stop closes the listener Start opened, so that a bridge started again in the same process
// can open it.
func Stop() error {
	running.Lock()
	defer running.Unlock()
	if running.srv == nil {
		return nil
	}
	err := running.srv.Close()
	running.srv = nil
	return err
}

// Watch registers the collectors of one bridge in r: connected logins by state and the
// database pool's figures, read at each scrape.
func (r *Registry) Watch(br *bridgev2.Bridge, network string) error {
	// A bridge started again in the same process (tests) replaces the one before.
	for _, c := range r.watched {
		r.reg.Unregister(c)
	}
	r.watched = nil
	cs := []prometheus.Collector{&loginCollector{br: br, network: network}}
	if br.DB != nil && br.DB.RawDB != nil {
		cs = append(cs, collectors.NewDBStatsCollector(br.DB.RawDB, network))
	}
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			return fmt.Errorf("register bridge metrics: %w", err)
		}
		r.watched = append(r.watched, c)
	}
	return nil
}

var loginsDesc = prometheus.NewDesc(namespace+"_logins", "Logins loaded in the bridge, by bridge state (CONNECTED, TRANSIENT_DISCONNECT, BAD_CREDENTIALS, ...).",
	[]string{"network", "state"}, nil)

// loginCollector counts the bridge's loaded logins by the last state each one sent.
type loginCollector struct {
	br      *bridgev2.Bridge
	network string
}

func (c *loginCollector) Describe(ch chan<- *prometheus.Desc) { ch <- loginsDesc }

func (c *loginCollector) Collect(ch chan<- prometheus.Metric) {
	counts := map[status.BridgeStateEvent]int{}
	for _, login := range c.br.GetAllCachedUserLogins() {
		state := login.BridgeState.GetPrev().StateEvent
		if state == "" {
			state = status.StateStarting
		}
		counts[state]++
	}
	// Every state a login can be in has a series, 0 when none is, so that a dashboard's
	// "connected" line does not vanish when the last login drops.
	for _, state := range []status.BridgeStateEvent{status.StateStarting, status.StateConnecting, status.StateConnected,
		status.StateTransientDisconnect, status.StateBadCredentials, status.StateUnknownError, status.StateLoggedOut} {
		ch <- prometheus.MustNewConstMetric(loginsDesc, prometheus.GaugeValue, float64(counts[state]), c.network, string(state))
		delete(counts, state)
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(loginsDesc, prometheus.GaugeValue, float64(n), c.network, string(state))
	}
}
