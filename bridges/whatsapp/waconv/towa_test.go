package waconv_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

func pill(mxid, name string) string {
	return `<a href="https://matrix.to/#/` + mxid + `">` + name + `</a>`
}

func htmlContent(msgType event.MessageType, body, formatted string) *event.MessageEventContent {
	return &event.MessageEventContent{MsgType: msgType, Body: body, Format: event.FormatHTML, FormattedBody: formatted}
}

func TestToWhatsAppText(t *testing.T) {
	alice := string(ghostMXID(alicePhone))
	tests := []struct {
		name     string
		content  *event.MessageEventContent
		wantText string
		// wantMentions non-nil means an ExtendedTextMessage with these MentionedJIDs is expected;
		// nil means a plain Conversation.
		wantMentions []string
	}{
		{"plain text", &event.MessageEventContent{MsgType: event.MsgText, Body: "hello"}, "hello", nil},
		{"plain body keeps WhatsApp markers", &event.MessageEventContent{MsgType: event.MsgText, Body: "*already* bold"}, "*already* bold", nil},
		{"notice", &event.MessageEventContent{MsgType: event.MsgNotice, Body: "bot says"}, "bot says", nil},
		{"emote", &event.MessageEventContent{MsgType: event.MsgEmote, Body: "waves"}, "/me waves", nil},
		{"emote html", htmlContent(event.MsgEmote, "waves", "<em>waves</em>"), "/me _waves_", nil},
		{"bold html", htmlContent(event.MsgText, "x", "<b>x</b>"), "*x*", nil},
		{"strong html", htmlContent(event.MsgText, "a b", "<strong>a</strong> b"), "*a* b", nil},
		{"html format without formatted body uses body", &event.MessageEventContent{MsgType: event.MsgText, Body: "raw", Format: event.FormatHTML}, "raw", nil},
		{"formatted body ignored without html format", &event.MessageEventContent{MsgType: event.MsgText, Body: "raw", FormattedBody: "<b>fmt</b>"}, "raw", nil},
		{"html entities", htmlContent(event.MsgText, "a < b", "a &lt; b &amp;&amp; c"), "a < b && c", nil},
		{
			"pill to a ghost",
			htmlContent(event.MsgText, "hi Alice", "hi "+pill(alice, "Alice")),
			"hi @" + alicePhone, []string{alicePhone + "@s.whatsapp.net"},
		},
		{
			"pill to the logged-in user",
			htmlContent(event.MsgText, "hey me", "hey "+pill("@me:localhost", "Me")),
			"hey @" + mePhone, []string{mePhone + "@s.whatsapp.net"},
		},
		{
			"two pills, one twice",
			htmlContent(event.MsgText, "x", pill(alice, "A")+" "+pill(string(ghostMXID(bobPhone)), "B")+" "+pill(alice, "A")),
			"@" + alicePhone + " @" + bobPhone + " @" + alicePhone, []string{alicePhone + "@s.whatsapp.net", bobPhone + "@s.whatsapp.net"},
		},
		{
			"pill to a Matrix user keeps the name",
			htmlContent(event.MsgText, "hi Bob", "hi "+pill("@bob:localhost", "Bob")),
			"hi Bob", nil,
		},
		{
			"pill to a malformed ghost keeps the name",
			htmlContent(event.MsgText, "hi X", "hi "+pill("@whatsapp_12ab:localhost", "X")),
			"hi X", nil,
		},
		{
			"pill in bold",
			htmlContent(event.MsgText, "x", "<b>hi "+pill(alice, "Alice")+"</b>"),
			"*hi @" + alicePhone + "*", []string{alicePhone + "@s.whatsapp.net"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := waconv.ToWhatsApp(context.Background(), tt.content, nil, newFakeUsers())
			if err != nil {
				t.Fatalf("ToWhatsApp: %v", err)
			}
			if tt.wantMentions == nil {
				if msg.ExtendedTextMessage != nil {
					t.Fatalf("got ExtendedTextMessage %v, want a plain Conversation", msg.ExtendedTextMessage)
				}
				if msg.Conversation == nil || msg.GetConversation() != tt.wantText {
					t.Errorf("Conversation = %q, want %q", msg.GetConversation(), tt.wantText)
				}
				return
			}
			if msg.Conversation != nil {
				t.Fatalf("got Conversation %q, want an ExtendedTextMessage", msg.GetConversation())
			}
			ext := msg.GetExtendedTextMessage()
			if ext.GetText() != tt.wantText {
				t.Errorf("Text = %q, want %q", ext.GetText(), tt.wantText)
			}
			info := ext.GetContextInfo()
			if !reflect.DeepEqual(info.GetMentionedJID(), tt.wantMentions) {
				t.Errorf("MentionedJID = %q, want %q", info.GetMentionedJID(), tt.wantMentions)
			}
			if info.StanzaID != nil || info.Participant != nil || info.QuotedMessage != nil {
				t.Errorf("mention-only message carries a quote: %v", info)
			}
		})
	}
}

func TestToWhatsAppNilUsers(t *testing.T) {
	msg, err := waconv.ToWhatsApp(context.Background(), htmlContent(event.MsgText, "x", "hi "+pill(string(ghostMXID(alicePhone)), "Alice")), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if msg.GetConversation() != "hi Alice" || msg.ExtendedTextMessage != nil {
		t.Errorf("got %v, want Conversation \"hi Alice\" without Users", msg)
	}
}

func TestToWhatsAppErrors(t *testing.T) {
	tests := []struct {
		name        string
		content     *event.MessageEventContent
		unsupported bool
	}{
		{"image", &event.MessageEventContent{MsgType: event.MsgImage, Body: "cat.jpg", URL: "mxc://localhost/cat"}, true},
		{"file", &event.MessageEventContent{MsgType: event.MsgFile, Body: "doc.pdf"}, true},
		{"video", &event.MessageEventContent{MsgType: event.MsgVideo, Body: "v.mp4"}, true},
		{"audio", &event.MessageEventContent{MsgType: event.MsgAudio, Body: "a.ogg"}, true},
		// A location is supported (location_test.go); a malformed one is an error of its own.
		{"malformed location", &event.MessageEventContent{MsgType: event.MsgLocation, Body: "here", GeoURI: "geo:1"}, false},
		{"no msgtype", &event.MessageEventContent{Body: "text"}, true},
		{"empty body", &event.MessageEventContent{MsgType: event.MsgText, Body: ""}, false},
		{"empty notice", &event.MessageEventContent{MsgType: event.MsgNotice}, false},
		{"html that renders empty", htmlContent(event.MsgText, "", "<b></b>"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := waconv.ToWhatsApp(context.Background(), tt.content, nil, newFakeUsers())
			if err == nil {
				t.Fatalf("ToWhatsApp = %v, want an error", msg)
			}
			if msg != nil {
				t.Errorf("ToWhatsApp returned a message with the error: %v", msg)
			}
			if got := errors.Is(err, waconv.ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(%v, ErrUnsupported) = %v, want %v", err, got, tt.unsupported)
			}
		})
	}
}

// BUG (waconv/towa.go:31-37, ToWhatsApp): the "message has no text" check runs after the
// emote prefix is added, so an emote with an empty body (or HTML that renders to nothing, e.g.
// "<br>") is sent to WhatsApp as the bare text "/me " instead of being rejected like an empty
// m.text.
func TestToWhatsAppEmptyEmote(t *testing.T) {
	for _, content := range []*event.MessageEventContent{
		{MsgType: event.MsgEmote, Body: ""},
		htmlContent(event.MsgEmote, "", "<br>"),
	} {
		msg, err := waconv.ToWhatsApp(context.Background(), content, nil, newFakeUsers())
		if err == nil {
			t.Errorf("ToWhatsApp(emote %q / %q) = %v, want an error like an empty m.text", content.Body, content.FormattedBody, msg)
		}
	}
}

func replyTarget(chat, sender types.JID, msgID types.MessageID) *database.Message {
	return &database.Message{ID: ids.MessageID(chat, sender, msgID), Room: ids.PortalKey(chat, mePhone)}
}

func TestToWhatsAppReply(t *testing.T) {
	bob := userJID(bobPhone)
	tests := []struct {
		name            string
		content         *event.MessageEventContent
		replyTo         *database.Message
		wantText        string
		wantStanza      string
		wantParticipant string
		wantMentions    []string
	}{
		{
			name:            "reply in a group",
			content:         &event.MessageEventContent{MsgType: event.MsgText, Body: "agreed"},
			replyTo:         replyTarget(groupChat, bob, "3EB0ORIGINAL"),
			wantText:        "agreed",
			wantStanza:      "3EB0ORIGINAL",
			wantParticipant: bobPhone + "@s.whatsapp.net",
		},
		{
			// Message IDs cannot hold device JIDs ("user:device@server" has a colon), but an
			// agent suffix ("user.1@server") parses and must not reach WhatsApp.
			name:            "reply drops the sender's agent",
			content:         &event.MessageEventContent{MsgType: event.MsgText, Body: "ok"},
			replyTo:         &database.Message{ID: networkid.MessageID(groupChat.String() + ":" + bobPhone + ".1@s.whatsapp.net:ID1")},
			wantText:        "ok",
			wantStanza:      "ID1",
			wantParticipant: bobPhone + "@s.whatsapp.net",
		},
		{
			name:            "reply to own message in a DM",
			content:         &event.MessageEventContent{MsgType: event.MsgEmote, Body: "nods"},
			replyTo:         replyTarget(dmChat, userJID(mePhone), "MINE"),
			wantText:        "/me nods",
			wantStanza:      "MINE",
			wantParticipant: mePhone + "@s.whatsapp.net",
		},
		{
			name:            "reply with a mention",
			content:         htmlContent(event.MsgText, "x", pill(string(ghostMXID(alicePhone)), "Alice")+" look"),
			replyTo:         replyTarget(groupChat, bob, "Q"),
			wantText:        "@" + alicePhone + " look",
			wantStanza:      "Q",
			wantParticipant: bobPhone + "@s.whatsapp.net",
			wantMentions:    []string{alicePhone + "@s.whatsapp.net"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := waconv.ToWhatsApp(context.Background(), tt.content, tt.replyTo, newFakeUsers())
			if err != nil {
				t.Fatalf("ToWhatsApp: %v", err)
			}
			if msg.Conversation != nil {
				t.Fatalf("reply sent as a plain Conversation %q", msg.GetConversation())
			}
			ext := msg.GetExtendedTextMessage()
			if ext.GetText() != tt.wantText {
				t.Errorf("Text = %q, want %q", ext.GetText(), tt.wantText)
			}
			info := ext.GetContextInfo()
			if info.StanzaID == nil || info.GetStanzaID() != tt.wantStanza {
				t.Errorf("StanzaID = %q, want %q", info.GetStanzaID(), tt.wantStanza)
			}
			if info.Participant == nil || info.GetParticipant() != tt.wantParticipant {
				t.Errorf("Participant = %q, want %q", info.GetParticipant(), tt.wantParticipant)
			}
			if info.GetQuotedMessage() == nil {
				t.Error("QuotedMessage = nil: WhatsApp clients need one to show the reply")
			}
			if !reflect.DeepEqual(info.GetMentionedJID(), tt.wantMentions) {
				t.Errorf("MentionedJID = %q, want %q", info.GetMentionedJID(), tt.wantMentions)
			}
		})
	}
}

func TestToWhatsAppReplyBadID(t *testing.T) {
	for _, bad := range []networkid.MessageID{"", "not-a-message-id", "a:b", networkid.MessageID(groupChat.String() + ":" + userJID(bobPhone).String() + ":"), "@g.us:1@s.whatsapp.net:X"} {
		t.Run(string(bad), func(t *testing.T) {
			msg, err := waconv.ToWhatsApp(context.Background(), &event.MessageEventContent{MsgType: event.MsgText, Body: "hi"}, &database.Message{ID: bad}, newFakeUsers())
			if err == nil {
				t.Fatalf("ToWhatsApp replying to %q = %v, want an error", bad, msg)
			}
			if msg != nil {
				t.Errorf("ToWhatsApp returned a message with the error: %v", msg)
			}
			if errors.Is(err, waconv.ErrUnsupported) {
				t.Errorf("bad reply target reported as unsupported message type: %v", err)
			}
		})
	}
}

// The two directions agree: WhatsApp text with a mention and formatting, converted to Matrix
// and back, is the text it was.
func TestRoundTrip(t *testing.T) {
	users := newFakeUsers()
	in := "*hi* @" + alicePhone + " _there_"
	matrix := waconv.TextToMatrix(context.Background(), in, []string{userJID(alicePhone).String()}, users)
	out, err := waconv.ToWhatsApp(context.Background(), matrix, nil, users)
	if err != nil {
		t.Fatal(err)
	}
	ext := out.GetExtendedTextMessage()
	if ext.GetText() != in {
		t.Errorf("round trip: %q → %q → %q", in, matrix.FormattedBody, ext.GetText())
	}
	if want := []string{userJID(alicePhone).String()}; !reflect.DeepEqual(ext.GetContextInfo().GetMentionedJID(), want) {
		t.Errorf("round trip mentions = %q, want %q", ext.GetContextInfo().GetMentionedJID(), want)
	}
}
