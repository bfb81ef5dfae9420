// Package metrics is the Prometheus metrics of a bridge process: what it bridged each way and
// how long that took, what failed and why, its logins by state, reconnects, backfill, the
// database pool and the Go runtime. Every bridge of the suite records through the same
// functions, so a metric means the same in every bridge, and serves them with Serve on a
// listener of its own (off unless configured). docs/metrics.md lists every metric.
package metrics
