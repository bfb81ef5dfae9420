package remote

import (
	"errors"
	"net"
	"net/http"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/pkg/metrics"
)

// Queue hands evt to the login's portal and logs, at warn level with the event type only
// (never its content), an event that bridgev2 neither accepted, queued nor ignored on purpose.
// It reports whether the network may consider the event delivered: false only when handling
// failed for a reason that may pass (the homeserver or the database could not be reached),
// so that a network that redelivers unacknowledged events sends it again. With the portal
// queue off (pkg/bridgekit/ack) bridgev2 handles the event before this returns.
func Queue(login *bridgev2.UserLogin, network string, evt bridgev2.RemoteEvent) bool {
	start := time.Now()
	res := login.QueueRemoteEvent(evt)
	kind := metrics.RemoteKind(evt.GetType())
	if res.Success || res.Queued || res.Ignored {
		if res.Success {
			metrics.Bridged(metrics.ToMatrix, kind, start)
		}
		return true
	}
	retry := Retryable(res.Error)
	reason := "rejected"
	if retry {
		reason = "retryable"
	}
	metrics.Failed(metrics.ToMatrix, kind, reason)
	login.Log.Warn().Err(res.Error).
		Str("network", network).
		Str("event_type", evt.GetType().String()).
		Bool("will_be_redelivered", retry).
		Msg("Bridge did not accept network event")
	return !retry
}

// Retryable reports whether a handling error may pass by itself: the homeserver did not answer
// or answered with a server error, or the database failed. Errors about the event itself
// (it cannot be converted, the homeserver refused it) are not: redelivering would fail again.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var httpErr mautrix.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.Response == nil || httpErr.Response.StatusCode >= http.StatusInternalServerError ||
			httpErr.Response.StatusCode == http.StatusTooManyRequests
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, bridgev2.ErrDatabaseError)
}
