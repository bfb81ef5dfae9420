package waconv

import (
	"context"
	"fmt"
	"html"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/format"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/markup"
)

// ToMatrix converts a WhatsApp message received in chat into Matrix content. Messages it
// cannot carry become an m.notice that says so, never nothing: the Matrix user must see that
// something arrived. Contact cards, which need Media to become files, are text here; give
// them to MediaToMatrix (IsMedia reports them) to bridge the vCard.
func ToMatrix(ctx context.Context, chat types.JID, msg *waE2E.Message, users Users) *bridgev2.ConvertedMessage {
	switch {
	case msg.GetLocationMessage() != nil:
		return locationToMatrix(chat, msg.GetLocationMessage())
	case msg.GetLiveLocationMessage() != nil:
		return liveLocationToMatrix(chat, msg.GetLiveLocationMessage())
	case isContact(msg):
		return contactsToMatrix(ctx, chat, msg, nil, 0)
	}
	text, info := textOf(msg)
	if text == "" && info == nil {
		return &bridgev2.ConvertedMessage{Parts: []*bridgev2.ConvertedMessagePart{{
			Type:    event.EventMessage,
			Content: &event.MessageEventContent{MsgType: event.MsgNotice, Body: unsupported(msg)},
		}}}
	}
	content := TextToMatrix(ctx, text, info.GetMentionedJID(), users)
	return &bridgev2.ConvertedMessage{
		ReplyTo: replyTarget(chat, info),
		Parts:   []*bridgev2.ConvertedMessagePart{{Type: event.EventMessage, Content: content}},
	}
}

// textOf returns the text of a text message and the context (mentions, quote) that goes with it.
func textOf(msg *waE2E.Message) (string, *waE2E.ContextInfo) {
	if ext := msg.GetExtendedTextMessage(); ext != nil {
		return ext.GetText(), ext.GetContextInfo()
	}
	return msg.GetConversation(), nil
}

// TextToMatrix renders WhatsApp text with mentions as Matrix content.
func TextToMatrix(ctx context.Context, text string, mentionedJIDs []string, users Users) *event.MessageEventContent {
	content := &event.MessageEventContent{MsgType: event.MsgText, Body: text, Mentions: &event.Mentions{}}
	mentioned := map[string]types.JID{}
	for _, raw := range mentionedJIDs {
		if jid, err := types.ParseJID(raw); err == nil && jid.User != "" {
			mentioned[jid.User] = jid
		}
	}
	formatted, changed := markup.ToHTML(text, func(token string) (string, bool) {
		jid, ok := mentioned[token]
		if !ok || users == nil {
			return "", false
		}
		mxid, name, err := users.MatrixUser(ctx, jid)
		if err != nil || mxid == "" {
			return "", false
		}
		content.Mentions.Add(mxid)
		if name == "" {
			name = mxid.String()
		}
		return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(mxid.URI().MatrixToURL()), html.EscapeString(name)), true
	})
	if changed {
		content.Format = event.FormatHTML
		content.FormattedBody = formatted
		content.Body = format.HTMLToText(formatted)
	}
	return content
}

// replyTarget is the message a WhatsApp message quotes, if any.
func replyTarget(chat types.JID, info *waE2E.ContextInfo) *networkid.MessageOptionalPartID {
	if info.GetStanzaID() == "" {
		return nil
	}
	sender := chat
	if p, err := types.ParseJID(info.GetParticipant()); err == nil && p.User != "" {
		sender = p
	}
	return &networkid.MessageOptionalPartID{MessageID: ids.MessageID(chat, sender, types.MessageID(info.GetStanzaID()))}
}

// unsupported names what kind of message could not be bridged.
func unsupported(msg *waE2E.Message) string {
	kind := "message"
	switch {
	case msg == nil:
		kind = "empty message"
	case msg.GetImageMessage() != nil:
		kind = "image"
	case msg.GetVideoMessage() != nil:
		kind = "video"
	case msg.GetAudioMessage() != nil:
		kind = "audio message"
	case msg.GetDocumentMessage() != nil:
		kind = "document"
	case msg.GetStickerMessage() != nil:
		kind = "sticker"
	case msg.GetPollCreationMessage() != nil, msg.GetPollCreationMessageV3() != nil:
		kind = "poll"
	}
	return fmt.Sprintf("Unsupported WhatsApp %s: this bridge cannot show it yet. Open WhatsApp on your phone to see it.", kind)
}
