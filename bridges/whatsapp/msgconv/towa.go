package msgconv

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/markup"
)

// ErrUnsupported wraps what WhatsApp cannot carry; the sender gets it as a message status.
var ErrUnsupported = bridgev2.ErrUnsupportedMessageType

// ToWhatsApp converts Matrix message content into a WhatsApp message. replyTo is the bridged
// message being replied to, if any.
func ToWhatsApp(ctx context.Context, content *event.MessageEventContent, replyTo *database.Message, users Users) (*waE2E.Message, error) {
	switch content.MsgType {
	case event.MsgText, event.MsgNotice, event.MsgEmote:
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, content.MsgType)
	}
	conv := markup.FromMatrix(ctx, content, func(mxid id.UserID, _ string) (string, string, bool) {
		if users == nil {
			return "", "", false
		}
		jid, ok := users.WhatsAppUser(ctx, mxid)
		if !ok {
			return "", "", false
		}
		return "@" + jid.User, jid.String(), true
	})
	text := conv.Text
	if content.MsgType == event.MsgEmote {
		text = "/me " + text
	}
	if text == "" {
		return nil, errors.New("message has no text")
	}
	info := &waE2E.ContextInfo{}
	hasContext := false
	if len(conv.MentionedJIDs) > 0 {
		info.MentionedJID, hasContext = conv.MentionedJIDs, true
	}
	if replyTo != nil {
		target, err := ids.ParseMessageID(replyTo.ID)
		if err != nil {
			return nil, fmt.Errorf("reply to %s: %w", replyTo.ID, err)
		}
		info.StanzaID = proto.String(string(target.ID))
		info.Participant = proto.String(target.Sender.ToNonAD().String())
		// WhatsApp clients need a quoted message to draw the reply; the bridge does not keep
		// message bodies, so the quote is empty and the phone fills it from its own history.
		info.QuotedMessage = &waE2E.Message{Conversation: proto.String("")}
		hasContext = true
	}
	if !hasContext {
		return &waE2E.Message{Conversation: proto.String(text)}, nil
	}
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text), ContextInfo: info}}, nil
}
