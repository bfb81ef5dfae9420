// Package status builds the errors a network connector returns from a Matrix event handler, so
// that the Matrix sender sees why their message or change did not reach the network. bridgev2
// turns them into an m.bridge message-status event and, because every error here asks for it, a
// notice in the room with the error text.
//
// Two kinds exist: Refused for what can never succeed as asked (the bridge or the network said
// no for a reason the user must change), and Failed for what the network did not accept this
// time and may accept on a retry.
package status

import (
	"errors"
	"fmt"

	"maunium.net/go/mautrix/bridgev2"
)

// Refused marks err as certain: retrying the same event cannot succeed. The sender sees err's
// text as a notice.
func Refused(err error) error {
	return bridgev2.WrapErrorInStatus(err).WithIsCertain(true).WithErrorAsMessage().WithSendNotice(true)
}

// Refusedf is Refused(fmt.Errorf(format, args...)).
func Refusedf(format string, args ...any) error {
	return Refused(fmt.Errorf(format, args...))
}

// Failed reports that the network did not accept the event, with the network's reason. The
// sender sees the text as a notice; the event may be retried.
func Failed(network, what string, err error) error {
	return bridgev2.WrapErrorInStatus(fmt.Errorf("%s did not accept the %s: %w", network, what, err)).
		WithErrorAsMessage().WithSendNotice(true)
}

// Failedf is a retryable status error with a message of the caller's own.
func Failedf(format string, args ...any) error {
	return bridgev2.WrapErrorInStatus(fmt.Errorf(format, args...)).WithErrorAsMessage().WithSendNotice(true)
}

// NotConnected is the error a connector returns while its login has no connection to the
// network. It is certain (the event is not retried) and shown to the sender.
func NotConnected(network string) error {
	return Refused(errors.New("not connected to " + network))
}
