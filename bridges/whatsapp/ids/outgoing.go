package ids

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/id"
)

// outgoingPrefix is the prefix whatsmeow gives the IDs of messages a web client sends.
const outgoingPrefix = "3EB0"

// OutgoingMessageID is the WhatsApp message ID of what the bridge sends for a Matrix event: the
// same event always gets the same ID, so a homeserver's retry of an event that a killed bridge
// had already sent goes out again under that ID, which WhatsApp drops as a repeat. It has the
// shape of whatsmeow's own IDs (3EB0 and 16 upper-case hex digits).
func OutgoingMessageID(evt id.EventID) types.MessageID {
	sum := sha256.Sum256([]byte(evt))
	return types.MessageID(outgoingPrefix + strings.ToUpper(hex.EncodeToString(sum[:8])))
}
