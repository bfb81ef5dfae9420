package connector

import (
	"context"
	"sync"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// The bridge's Prometheus metrics (pkg/metrics) are served from Start when network.metrics.listen
// is set, and stopped with the connector; events are counted where they are bridged:
// pkg/bridgekit/remote for network→Matrix, the Matrix handlers (metrics.Sent) for Matrix→network.

// networkName labels this bridge's metrics.
const networkName = networkID

var metricsServer struct {
	sync.Mutex
	srv *metrics.Server
}

// startMetrics serves the metrics for the life of the process (not of Start's context).
func (c *Connector) startMetrics(ctx context.Context) error {
	srv, err := metrics.Start(context.WithoutCancel(ctx), c.Bridge, networkName, c.Config.Metrics)
	if err != nil {
		return err
	}
	metricsServer.Lock()
	metricsServer.srv = srv
	metricsServer.Unlock()
	return nil
}

// stopMetrics closes the metrics listener, so that a bridge started again in the same
// process can open it.
func (c *Connector) stopMetrics() {
	metricsServer.Lock()
	defer metricsServer.Unlock()
	if metricsServer.srv == nil {
		return
	}
	if err := metricsServer.srv.Close(); err != nil {
		c.Bridge.Log.Warn().Err(err).Msg("Metrics listener did not stop")
	}
	metricsServer.srv = nil
}
