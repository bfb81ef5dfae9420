package connector

import (
	"context"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// The bridge's Prometheus metrics (pkg/metrics) are served from Start when network.metrics.listen
// is set, and stopped with the connector; events are counted where they are bridged:
// pkg/bridgekit/remote for network→Matrix, the Matrix handlers (metrics.Sent) for Matrix→network.

// networkName labels this bridge's metrics.
const networkName = "whatsapp"

func (c *Connector) startMetrics(ctx context.Context) error {
	return metrics.Start(ctx, c.Bridge, networkName, c.Config.Metrics)
}

func (c *Connector) stopMetrics() {
	if err := metrics.Stop(); err != nil {
		c.Bridge.Log.Warn().Err(err).Msg("Metrics listener did not stop")
	}
}
