package connector

import (
	"errors"
	"fmt"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/event"

	msgstatus "github.com/mxbridges/mxbridges/pkg/bridgekit/status"
)

// Every error the bridge shows a user (as a message status, a notice or a bridge state) is
// built here.

// network is the network's name in the errors users see.
const network = "Telegram"

// Bridge state error codes of this connector.
const (
	stateNoSession      status.BridgeStateErrorCode = "tg-no-session"
	stateLoggedOut      status.BridgeStateErrorCode = "tg-logged-out"
	stateConnectFailed  status.BridgeStateErrorCode = "tg-connect-failed"
	stateMisconfigured  status.BridgeStateErrorCode = "tg-misconfigured"
	stateConnectionLost status.BridgeStateErrorCode = "tg-connection-lost"
)

func init() {
	status.BridgeStateHumanErrors.Update(status.BridgeStateErrorMap{
		stateNoSession:      "This Telegram login has no session. Use `login` to log in again.",
		stateLoggedOut:      "Telegram ended this session (logged out from another device, or the session was revoked). Use `login` to log in again.",
		stateConnectFailed:  "Could not connect to Telegram; retrying.",
		stateMisconfigured:  "The bridge's Telegram server settings are invalid; the admin must fix network.servers.",
		stateConnectionLost: "The connection to Telegram was lost; reconnecting.",
	})
}

// errNotConnected is returned for Matrix events while the login has no connection.
var errNotConnected = msgstatus.NotConnected(network)

// notAccepted reports that Telegram did not accept what (a message, a change, a file, ...),
// with Telegram's reason; the sender sees it as a notice and the event may be retried.
func notAccepted(what string, err error) error { return msgstatus.Failed(network, what, err) }

// refused refuses a Matrix event that cannot succeed as asked, with a notice saying why.
func refused(err error) error { return msgstatus.Refused(err) }

// mediaFailed makes a failure to send a file visible to the sender as a notice.
func mediaFailed(format string, args ...any) error { return msgstatus.Failedf(format, args...) }

// pollFailed refuses a poll or vote with a notice to the sender saying why.
func pollFailed(format string, args ...any) error {
	err := msgstatus.Refusedf(format, args...)
	if ms, ok := err.(bridgev2.MessageStatus); ok {
		return ms.WithErrorReason(event.MessageStatusUnsupported)
	}
	return err
}

// Login errors, as the user sees them.
var (
	ErrBadCode       = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_CODE", Err: "That code is wrong. Start again with `login phone`.", StatusCode: 403}
	ErrCodeExpired   = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.CODE_EXPIRED", Err: "That code has expired. Start again with `login phone`.", StatusCode: 403}
	ErrBadPassword   = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_PASSWORD", Err: "That two-step verification password is wrong. Start again with `login phone`.", StatusCode: 403}
	ErrBadPhone      = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_PHONE", Err: "Telegram does not accept that phone number: give it with the country code.", StatusCode: 400}
	ErrNoCredentials = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.NOT_CONFIGURED", Err: "The bridge has no Telegram API credentials; ask the admin to set network.api_id and api_hash.", StatusCode: 500}
)

// ErrBadBotToken is what a bot login with a wrong token ends in.
var ErrBadBotToken = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_BOT_TOKEN", Err: "Telegram does not accept that bot token. Copy it again from @BotFather.", StatusCode: 403}

// Errors of starting chats and creating groups, as the user sees them.
var (
	errNotAChat    = bridgev2.RespError{ErrCode: "M_UNRECOGNIZED", Err: "That is not a Telegram user, group or channel.", StatusCode: 400}
	errNoGroupName = bridgev2.RespError{ErrCode: "M_INVALID_PARAM", Err: "Telegram groups need a name: set the room's name first.", StatusCode: 400}
)

// errUnknownChatKind refuses to create a chat of a kind Telegram does not have.
func errUnknownChatKind(kind string) error {
	return bridgev2.RespError{ErrCode: "M_INVALID_PARAM", Err: fmt.Sprintf("Unknown kind of Telegram chat %q: use group, supergroup or channel.", kind), StatusCode: 400}
}

var errUnknownIdentifier = bridgev2.RespError{ErrCode: "M_NOT_FOUND", Err: "No Telegram user has that username or phone number (or they hide it).", StatusCode: 404}

// errDownload marks a failure to fetch a file from Telegram (as opposed to storing it in Matrix).
type errDownload struct{ err error }

func (e errDownload) Error() string { return "download from Telegram failed: " + e.err.Error() }
func (e errDownload) Unwrap() error { return e.err }

// failureReason says in a few words why a file was not bridged.
func failureReason(err error) string {
	var dl errDownload
	switch {
	case errors.As(err, &dl):
		return dl.Error()
	case errors.Is(err, bridgev2.ErrMediaTooLarge):
		return "it is larger than the Matrix server accepts"
	default:
		return "storing it in Matrix failed: " + err.Error()
	}
}
