package wafake

import (
	"errors"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
)

// The wire format between ServeRemote and its clients (package wafake/remote). Requests and
// answers are JSON; events come down one stream per client as JSON lines (Frame), and the
// client acknowledges each frame with the result of its handlers (Ack).

// Kinds of Frame.
const (
	FrameMessage      = "message"       // Info + Message: events.Message
	FrameConnected    = "connected"     // events.Connected
	FrameDisconnected = "disconnected"  // events.Disconnected
	FramePairSuccess  = "pair-success"  // JID, Platform: events.PairSuccess
	FrameLoggedOut    = "logged-out"    // events.LoggedOut
	FrameQR           = "qr"            // QR: an item of the pairing channel
	FrameDevice       = "device"        // JID, PushName: the device was paired; save it
	FrameDeleteDevice = "delete-device" // the device was logged out; delete it
)

// Frame is one event for a remote client.
type Frame struct {
	Seq  uint64 `json:"seq"`
	Kind string `json:"kind"`
	// Info and Message (protobuf of waE2E.Message) of a FrameMessage.
	Info    *types.MessageInfo `json:"info,omitempty"`
	Message []byte             `json:"message,omitempty"`
	// JID, PushName and Platform of a pairing.
	JID      types.JID `json:"jid,omitzero"`
	PushName string    `json:"push_name,omitempty"`
	Platform string    `json:"platform,omitempty"`
	QR       *QRItem   `json:"qr,omitempty"`
}

// QRItem is a whatsmeow.QRChannelItem on the wire.
type QRItem struct {
	Event   string        `json:"event"`
	Code    string        `json:"code,omitempty"`
	Timeout time.Duration `json:"timeout,omitempty"`
}

// Ack answers a Frame: OK is what the client's event handlers returned.
type Ack struct {
	Seq uint64 `json:"seq"`
	OK  bool   `json:"ok"`
}

// NewClientRequest creates the server's side of a remote client; Device is empty for a
// device that is not paired yet.
type NewClientRequest struct {
	Device   types.JID `json:"device,omitzero"`
	PushName string    `json:"push_name,omitempty"`
}

// NewClientResponse names the remote client in the paths of its later requests.
type NewClientResponse struct {
	ID string `json:"id"`
}

// SendRequest is SendMessage: Message is the protobuf of a waE2E.Message.
type SendRequest struct {
	To      types.JID       `json:"to"`
	Message []byte          `json:"message"`
	ID      types.MessageID `json:"id,omitempty"`
}

// ReadRequest is MarkRead.
type ReadRequest struct {
	IDs          []types.MessageID `json:"ids"`
	Timestamp    time.Time         `json:"timestamp"`
	Chat, Sender types.JID
}

// JIDRequest is a call about one JID (GetGroupInfo, SubscribePresence, pictures).
type JIDRequest struct {
	JID types.JID `json:"jid"`
}

// UserInfoRequest is GetUserInfo.
type UserInfoRequest struct {
	JIDs []types.JID `json:"jids"`
}

// ChatPresenceRequest is SendChatPresence.
type ChatPresenceRequest struct {
	JID   types.JID               `json:"jid"`
	State types.ChatPresence      `json:"state"`
	Media types.ChatPresenceMedia `json:"media"`
}

// PairPhoneRequest is PairPhone; the answer is a PairPhoneResponse.
type PairPhoneRequest struct {
	Phone string `json:"phone"`
}

// PairPhoneResponse carries the pairing code.
type PairPhoneResponse struct {
	Code string `json:"code"`
}

// ErrorResponse is the body of a failed request: Kind names a whatsmeow error the client
// returns as that very error (RemoteError).
type ErrorResponse struct {
	Error string `json:"error"`
	Kind  string `json:"kind,omitempty"`
}

// knownErrors are the whatsmeow errors that keep their identity across the wire.
var knownErrors = map[string]error{
	"not-connected":        whatsmeow.ErrNotConnected,
	"not-logged-in":        whatsmeow.ErrNotLoggedIn,
	"already-connected":    whatsmeow.ErrAlreadyConnected,
	"qr-already-connected": whatsmeow.ErrQRAlreadyConnected,
	"qr-store-contains-id": whatsmeow.ErrQRStoreContainsID,
	"group-not-found":      whatsmeow.ErrGroupNotFound,
	"picture-not-set":      whatsmeow.ErrProfilePictureNotSet,
	"picture-unauthorized": whatsmeow.ErrProfilePictureUnauthorized,
}

// errorKind is the Kind of err in an ErrorResponse ("" for any other error).
func errorKind(err error) string {
	for kind, known := range knownErrors {
		if errors.Is(err, known) {
			return kind
		}
	}
	return ""
}

// RemoteError turns an ErrorResponse back into an error: the whatsmeow error its Kind names,
// else an error with its text.
func RemoteError(resp ErrorResponse) error {
	if known, ok := knownErrors[resp.Kind]; ok {
		return known
	}
	return errors.New("fake WhatsApp: " + resp.Error)
}
