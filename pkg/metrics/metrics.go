package metrics

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"maunium.net/go/mautrix/bridgev2"
)

// Directions, the value of the direction label.
const (
	ToMatrix  = "to_matrix"  // an event from the network written to Matrix
	ToNetwork = "to_network" // an event from Matrix sent to the network
)

// namespace prefixes every metric of the suite.
const namespace = "mxbridges"

// Registry holds the suite's metrics and the Go runtime and process collectors. A process
// has one (Default); tests may make their own.
type Registry struct {
	reg *prometheus.Registry

	bridged    *prometheus.CounterVec
	failed     *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	reconnects *prometheus.CounterVec
	backfilled *prometheus.CounterVec

	// watched are the collectors of the bridge Watch registered last.
	watched []prometheus.Collector
}

// Default is the registry the package functions record in.
var Default = New()

// latencyBuckets span a fast local write (a few ms) to a homeserver that is struggling (tens
// of seconds).
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// New makes a registry with every metric of the suite registered.
func New() *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		bridged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "events_bridged_total",
			Help: "Events bridged, by direction and kind (message, edit, reaction, redaction, ...).",
		}, []string{"direction", "kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "events_failed_total",
			Help: "Events that could not be bridged, by direction, kind and reason.",
		}, []string{"direction", "kind", "reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "handling_seconds",
			Help:    "Time from taking an event to having bridged it, by direction.",
			Buckets: latencyBuckets,
		}, []string{"direction"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "reconnects_total",
			Help: "Connections to the network lost and made again, by reason.",
		}, []string{"reason"}),
		backfilled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "backfill_messages_total",
			Help: "Messages of chat history fetched from the network for Matrix, by kind of backfill (forward, backward).",
		}, []string{"kind"}),
	}
	r.reg.MustRegister(r.bridged, r.failed, r.latency, r.reconnects, r.backfilled,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Bridged records an event bridged in direction (ToMatrix or ToNetwork) after it was taken at
// start.
func (r *Registry) Bridged(direction, kind string, start time.Time) {
	r.bridged.WithLabelValues(direction, kind).Inc()
	r.latency.WithLabelValues(direction).Observe(time.Since(start).Seconds())
}

// Failed records an event that could not be bridged. reason is a short fixed word (a label
// value: never an error text, which would make one series per message).
func (r *Registry) Failed(direction, kind, reason string) {
	r.failed.WithLabelValues(direction, kind, reason).Inc()
}

// Reconnected records a connection to the network made again after it was lost.
func (r *Registry) Reconnected(reason string) { r.reconnects.WithLabelValues(reason).Inc() }

// BackfillKind is the kind label of a backfill: forward (catching up after a gap) or backward
// (older history).
func BackfillKind(forward bool) string {
	if forward {
		return "forward"
	}
	return "backward"
}

// Backfilled records n history messages fetched from the network for Matrix.
func (r *Registry) Backfilled(kind string, n int) { r.backfilled.WithLabelValues(kind).Add(float64(n)) }

// Register adds a collector of the process (the database pool, the logins) to r.
func (r *Registry) Register(c prometheus.Collector) error { return r.reg.Register(c) }

// Sent records an event sent to the network that was taken at start: bridged when *err is
// nil, failed otherwise, with the reason of the message status bridgev2 shows the sender
// ("error" when the error carries none). A connector's Matrix handlers defer it with their
// named error result.
func (r *Registry) Sent(kind string, start time.Time, err *error) {
	if err == nil || *err == nil {
		r.Bridged(ToNetwork, kind, start)
		return
	}
	r.Failed(ToNetwork, kind, Reason(*err))
}

// Reason is the label value for err: the reason of the bridgev2 message status it carries, or
// "error". Never the error's text, which would make a series per message.
func Reason(err error) string {
	var ms bridgev2.MessageStatus
	if errors.As(err, &ms) && ms.ErrorReason != "" {
		return string(ms.ErrorReason)
	}
	var msp *bridgev2.MessageStatus
	if errors.As(err, &msp) && msp != nil && msp.ErrorReason != "" {
		return string(msp.ErrorReason)
	}
	return "error"
}

// Sent records in Default; see Registry.Sent.
func Sent(kind string, start time.Time, err *error) { Default.Sent(kind, start, err) }

// Bridged records in Default; see Registry.Bridged.
func Bridged(direction, kind string, start time.Time) { Default.Bridged(direction, kind, start) }

// Failed records in Default; see Registry.Failed.
func Failed(direction, kind, reason string) { Default.Failed(direction, kind, reason) }

// Reconnected records in Default; see Registry.Reconnected.
func Reconnected(reason string) { Default.Reconnected(reason) }

// Backfilled records in Default; see Registry.Backfilled.
func Backfilled(kind string, n int) { Default.Backfilled(kind, n) }

// RemoteKind is the kind label of a network event type: RemoteEventReactionRemove is
// "reaction_remove".
func RemoteKind(t bridgev2.RemoteEventType) string {
	name := strings.TrimPrefix(t.String(), "RemoteEvent")
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
