package remote

import (
	"maunium.net/go/mautrix/bridgev2"
)

// Queue hands evt to the login's portal queue and logs, at warn level with the event type only
// (never its content), an event that bridgev2 neither accepted, queued nor ignored on purpose.
// It reports whether the event was accepted or queued.
func Queue(login *bridgev2.UserLogin, network string, evt bridgev2.RemoteEvent) bool {
	res := login.QueueRemoteEvent(evt)
	if !res.Success && !res.Queued && !res.Ignored {
		login.Log.Warn().Err(res.Error).
			Str("network", network).
			Str("event_type", evt.GetType().String()).
			Msg("Bridge did not accept network event")
		return false
	}
	return true
}
