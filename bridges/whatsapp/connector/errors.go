package connector

import (
	"errors"
	"fmt"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/status"

	msgstatus "github.com/mxbridges/mxbridges/pkg/bridgekit/status"
)

// network is how WhatsApp is named in the errors a Matrix user sees.
const network = "WhatsApp"

// errNotConnected is what a Matrix user sees when WhatsApp is unreachable for their login.
var errNotConnected = msgstatus.NotConnected(network)

// errNotAGroup refuses a change that only a WhatsApp group has (name, description, members,
// picture) in any other chat.
var errNotAGroup = msgstatus.Refused(errors.New("only WhatsApp groups have a name, description and members to change"))

// sendFailed turns an error from WhatsApp into a message status that the Matrix sender sees
// as a notice, with WhatsApp's reason. The message may be retried.
func sendFailed(err error) error {
	return msgstatus.Failed(network, "message", err)
}

// errMatrixDownload is what the sender sees when the bridge cannot fetch their file.
func errMatrixDownload(err error) error {
	return msgstatus.Failedf("could not download the file from Matrix: %w", err)
}

// notConnectedIfNil is errNotConnected while the login has no WhatsApp client, else nil.
func notConnectedIfNil(wc *Client) error {
	if wc.wa == nil {
		return errNotConnected
	}
	return nil
}

// Errors of the login flows, as the user sees them.
var (
	ErrLoginTimeout  = bridgev2.RespError{ErrCode: "FI.MXB.WHATSAPP.LOGIN_TIMEOUT", Err: "Login timed out: the code was not used in time. Start again with `login`.", StatusCode: 400}
	ErrBadPhone      = bridgev2.RespError{ErrCode: "FI.MXB.WHATSAPP.BAD_PHONE", Err: "That is not a phone number: give it with the country code, e.g. +49 151 12345678.", StatusCode: 400}
	ErrLoginOutdated = bridgev2.RespError{ErrCode: "FI.MXB.WHATSAPP.CLIENT_OUTDATED", Err: "WhatsApp rejected this client version as outdated: the bridge needs an update.", StatusCode: 500}
)

// Errors of provisioning and commands, as the user sees them.
var (
	// errNotOnWhatsApp is what `start-chat` says for a number without a WhatsApp account.
	errNotOnWhatsApp = bridgev2.RespError{ErrCode: "M_NOT_FOUND", Err: "That phone number is not on WhatsApp.", StatusCode: 404}
	// errGroupNeedsName is what `create-group` says without a group name.
	errGroupNeedsName = bridgev2.RespError{ErrCode: "M_INVALID_PARAM", Err: "WhatsApp groups need a name.", StatusCode: 400}
	// errUnsupportedTimer refuses a disappearing timer WhatsApp does not offer.
	errUnsupportedTimer = bridgev2.RespError{ErrCode: "FI.MXB.WHATSAPP.TIMER", Err: "WhatsApp only offers disappearing messages after 24 hours, 7 days or 90 days.", StatusCode: 400}
)

// Bridge state error codes this connector reports (shown to the user by the bridge bot).
const (
	stateNotPaired      status.BridgeStateErrorCode = "wa-not-paired"
	stateLoggedOut      status.BridgeStateErrorCode = "wa-logged-out"
	stateStreamReplaced status.BridgeStateErrorCode = "wa-stream-replaced"
	stateConnectFailed  status.BridgeStateErrorCode = "wa-connect-failed"
	stateClientOutdated status.BridgeStateErrorCode = "wa-client-outdated"
	stateKeepAlive      status.BridgeStateErrorCode = "wa-keepalive-timeout"
	stateDisconnected   status.BridgeStateErrorCode = "wa-disconnected"
	// statePhoneOffline warns that the phone has been silent for long (see phone.go). It has no
	// entry in the human error table on purpose: bridgev2 would replace the state's message,
	// which says how many days the phone has been silent.
	statePhoneOffline status.BridgeStateErrorCode = "wa-phone-offline"
)

func init() {
	status.BridgeStateHumanErrors.Update(status.BridgeStateErrorMap{
		stateNotPaired:      "This WhatsApp login has no linked device. Use `login` to link it again.",
		stateLoggedOut:      "You were logged out from WhatsApp (the linked device was removed on your phone). Use `login` to link it again.",
		stateStreamReplaced: "Another client connected with this WhatsApp session, so the bridge was disconnected.",
		stateConnectFailed:  "Could not connect to WhatsApp; retrying.",
		stateClientOutdated: "WhatsApp says this client version is outdated: the bridge needs an update.",
		stateKeepAlive:      "The connection to WhatsApp stopped answering; waiting for it to recover.",
		stateDisconnected:   "Disconnected from WhatsApp; reconnecting.",
	})
}

// phoneOfflineMessage is the message of statePhoneOffline.
func phoneOfflineMessage(days int) string {
	return fmt.Sprintf("Your phone was last seen %d days ago. WhatsApp unlinks this bridge if your phone stays offline for 14 days: open WhatsApp on your phone.", days)
}
