package waconv

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
	case event.MsgLocation:
		return locationToWhatsApp(content, replyTo)
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, content.MsgType)
	}
	conv := convertText(ctx, content, users)
	text := conv.Text
	if text == "" {
		return nil, errors.New("message has no text")
	}
	if content.MsgType == event.MsgEmote {
		text = "/me " + text
	}
	info, err := contextInfo(conv.MentionedJIDs, replyTo)
	if err != nil {
		return nil, err
	}
	if info == nil {
		return &waE2E.Message{Conversation: proto.String(text)}, nil
	}
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text), ContextInfo: info}}, nil
}

// convertText renders a Matrix body as WhatsApp text, turning pills of WhatsApp users into
// mentions.
func convertText(ctx context.Context, content *event.MessageEventContent, users Users) markup.Converted {
	return markup.FromMatrix(ctx, content, func(mxid id.UserID, _ string) (string, string, bool) {
		if users == nil {
			return "", "", false
		}
		jid, ok := users.WhatsAppUser(ctx, mxid)
		if !ok {
			return "", "", false
		}
		return "@" + jid.User, jid.String(), true
	})
}

// contextInfo carries mentions and the quoted message of a reply; nil when there are neither.
func contextInfo(mentions []string, replyTo *database.Message) (*waE2E.ContextInfo, error) {
	if len(mentions) == 0 && replyTo == nil {
		return nil, nil
	}
	info := &waE2E.ContextInfo{MentionedJID: mentions}
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
	}
	return info, nil
}
