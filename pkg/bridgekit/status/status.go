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
