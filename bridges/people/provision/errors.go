package provision

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Kind is what went wrong with a provisioning request.
type Kind int

// The kinds of failure, from the hub's point of view.
const (
	// Other is any other error answer of the bridge.
	Other Kind = iota
	// Unreachable: no answer (the bridge is down, or the URL is wrong).
	Unreachable
	// Disabled: the bridge's provisioning API is off (no shared secret, or "disable").
	Disabled
	// BadSecret: the bridge refused the hub's shared secret.
	BadSecret
	// NoPermission: the bridge does not let this Matrix user log in.
	NoPermission
	// NotLoggedIn: the Matrix user has no login on the bridge.
	NotLoggedIn
	// Unsupported: the bridge's network cannot do this (no contact list, no lookup).
	Unsupported
	// NotFound: nobody has that identifier.
	NotFound
)

// Error is a failed provisioning request of one bridge.
type Error struct {
	Network string
	Kind    Kind
	Status  int    // HTTP status; 0 when there was no answer
	ErrCode string // the Matrix-style errcode of the answer
	Message string // the bridge's error text
	Err     error  // the transport or decoding error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "provisioning of %s: %s", e.Network, e.Kind.describe())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d %s: %s)", e.Status, e.ErrCode, e.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Explain is the sentence for a user about what went wrong, without the bridge's name.
func (e *Error) Explain() string {
	switch e.Kind {
	case Unreachable:
		return "the bridge does not answer (is it running?)"
	case Disabled:
		return "the bridge's provisioning API is turned off (provisioning.shared_secret); ask the admin"
	case BadSecret:
		return "the bridge refused the hub's shared secret; ask the admin to check the hub's config"
	case NoPermission:
		return "the bridge does not let you log in"
	case NotLoggedIn:
		return "you are not logged in there"
	case Unsupported:
		return "that bridge cannot do this: " + e.Message
	case NotFound:
		return "nobody there has that number or name"
	default:
		if e.Message != "" {
			return "the bridge answered: " + e.Message
		}
		return "the bridge failed"
	}
}

func (k Kind) describe() string {
	switch k {
	case Unreachable:
		return "unreachable"
	case Disabled:
		return "provisioning disabled"
	case BadSecret:
		return "shared secret refused"
	case NoPermission:
		return "no login permission"
	case NotLoggedIn:
		return "not logged in"
	case Unsupported:
		return "unsupported"
	case NotFound:
		return "nobody there has that number or name"
	default:
		return "error"
	}
}

// responseError classifies an error answer by bridgev2's errcodes and messages
// (bridgev2/matrix/provisioning.go, AuthMiddleware and the handlers).
func responseError(network string, status int, body []byte) *Error {
	var r struct {
		ErrCode string `json:"errcode"`
		Error   string `json:"error"`
	}
	_ = json.Unmarshal(body, &r)
	e := &Error{Network: network, Status: status, ErrCode: r.ErrCode, Message: r.Error}
	switch {
	case r.ErrCode == "M_FORBIDDEN" && strings.Contains(r.Error, "disabled"):
		e.Kind = Disabled
	case r.ErrCode == "M_UNKNOWN_TOKEN" || r.ErrCode == "M_MISSING_TOKEN":
		e.Kind = BadSecret
	case r.ErrCode == "M_FORBIDDEN" && strings.Contains(r.Error, "login permission"):
		e.Kind = NoPermission
	case r.ErrCode == "FI.MAU.NOT_LOGGED_IN":
		e.Kind = NotLoggedIn
	case r.ErrCode == "M_UNRECOGNIZED":
		e.Kind = Unsupported
	case r.ErrCode == "M_NOT_FOUND":
		e.Kind = NotFound
	case r.ErrCode == "":
		// No Matrix-style answer: something else listens there.
		e.Message = "no bridge provisioning API at this address"
		e.Kind = Other
	default:
		e.Kind = Other
	}
	return e
}
