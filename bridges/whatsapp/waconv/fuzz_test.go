package waconv_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"golang.org/x/net/html"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// FuzzToWhatsApp: any Matrix text message converts without panicking; a message that converts
// is exactly one of Conversation or ExtendedTextMessage with non-empty text, every mention it
// lists is a WhatsApp user written into the text, and a reply carries its quote.
//
// kind selects the message: bits 0-1 the msgtype (text, notice, emote, image), bit 2 whether
// formatted is used as HTML, bit 3 whether it replies to a message.
func FuzzToWhatsApp(f *testing.F) {
	alice := string(ghostMXID(alicePhone))
	seeds := []struct {
		body, formatted string
		kind            uint8
	}{
		{"hello", "", 0},
		{"", "", 0},
		{"bold", "<b>bold</b>", 4},
		{"waves", "<em>waves</em>", 6},
		{"notice", "", 1},
		{"cat.jpg", "", 3},
		{"hi Alice", "hi " + pill(alice, "Alice"), 4},
		{"me", pill("@me:localhost", "Me") + pill(alice, "A") + pill(alice, "A"), 12},
		{"reply", "", 8},
		{"x", "<pre><code>" + pill(alice, "A") + "</code></pre>", 4},
		{"x", "<mx-reply><blockquote>" + pill(alice, "A") + "</blockquote></mx-reply>real", 4},
		{"x", "<ol start=\"-5\"><li><ul><li><b>deep</b></li></ul></li></ol>", 4},
		{"x", "<a href=\"https://matrix.to/#/@whatsapp_1:localhost\"></a>", 4},
		{"x", "<b></b><br><hr>", 4},
		{" ", "", 2},
		{"\x00\xff", "<table><tr><td>\xff</td></tr></table>", 5},
		{"x", `<a href="https://matrix.to/#/@whatsapp_` + strings.Repeat("9", 40) + `:localhost">n</a>`, 4},
	}
	for _, s := range seeds {
		f.Add(s.body, s.formatted, s.kind)
	}
	msgTypes := [...]event.MessageType{event.MsgText, event.MsgNotice, event.MsgEmote, event.MsgImage}
	f.Fuzz(func(t *testing.T, body, formatted string, kind uint8) {
		content := &event.MessageEventContent{MsgType: msgTypes[kind&3], Body: body}
		if kind&4 != 0 {
			content.Format, content.FormattedBody = event.FormatHTML, formatted
		}
		var replyTo *database.Message
		if kind&8 != 0 {
			replyTo = replyTarget(groupChat, userJID(bobPhone), "3EB0FUZZ")
		}
		msg, err := waconv.ToWhatsApp(context.Background(), content, replyTo, newFakeUsers())
		if content.MsgType == event.MsgImage {
			if err == nil || !errors.Is(err, waconv.ErrUnsupported) {
				t.Fatalf("image converted to %v, %v; want ErrUnsupported", msg, err)
			}
			return
		}
		if err != nil {
			if msg != nil {
				t.Fatalf("error %v came with a message %v", err, msg)
			}
			if errors.Is(err, waconv.ErrUnsupported) {
				t.Fatalf("%s reported as unsupported: %v", content.MsgType, err)
			}
			if kind&4 == 0 && body != "" {
				t.Fatalf("plain body %q failed: %v", body, err)
			}
			return
		}
		if msg == nil {
			t.Fatal("no message and no error")
		}
		hasConv, hasExt := msg.Conversation != nil, msg.ExtendedTextMessage != nil
		if hasConv == hasExt {
			t.Fatalf("want exactly one of Conversation and ExtendedTextMessage, got %v", msg)
		}
		text := msg.GetConversation()
		if hasExt {
			text = msg.GetExtendedTextMessage().GetText()
			if msg.GetExtendedTextMessage().Text == nil {
				t.Fatal("ExtendedTextMessage without Text")
			}
		}
		if text == "" {
			t.Fatalf("empty text for body %q formatted %q", body, formatted)
		}
		if content.MsgType == event.MsgEmote && !strings.HasPrefix(text, "/me ") {
			t.Fatalf("emote text %q lacks /me", text)
		}
		if kind&4 == 0 {
			want := body
			if content.MsgType == event.MsgEmote {
				want = "/me " + body
			}
			if text != want {
				t.Fatalf("plain body %q sent as %q, want %q", body, text, want)
			}
		}
		if replyTo != nil && !hasExt {
			t.Fatal("reply sent as a plain Conversation")
		}
		if !hasExt {
			return
		}
		info := msg.GetExtendedTextMessage().GetContextInfo()
		if info == nil {
			t.Fatal("ExtendedTextMessage without ContextInfo: should have been a Conversation")
		}
		if replyTo != nil {
			if info.GetStanzaID() != "3EB0FUZZ" || info.GetParticipant() != userJID(bobPhone).String() || info.GetQuotedMessage() == nil {
				t.Fatalf("reply context = %v", info)
			}
		} else if info.StanzaID != nil || info.QuotedMessage != nil {
			t.Fatalf("non-reply carries a quote: %v", info)
		}
		if replyTo == nil && len(info.GetMentionedJID()) == 0 {
			t.Fatal("ExtendedTextMessage with neither reply nor mentions")
		}
		seen := map[string]bool{}
		for _, raw := range info.GetMentionedJID() {
			if seen[raw] {
				t.Fatalf("MentionedJID lists %s twice: %q", raw, info.GetMentionedJID())
			}
			seen[raw] = true
			jid, err := types.ParseJID(raw)
			if err != nil || jid.Server != types.DefaultUserServer || !isDigits(jid.User) {
				t.Fatalf("MentionedJID has %q, not a WhatsApp user", raw)
			}
			if !strings.Contains(text, "@"+jid.User) {
				t.Fatalf("mention of %s is not in text %q (formatted %q)", raw, text, formatted)
			}
		}
	})
}

// FuzzToMatrix: any WhatsApp text with any mentioned JIDs and quote converts without panicking
// into one Matrix message whose HTML, when there is any, parses, contains no script and links
// only to matrix.to pills, and whose mentions are pills in it.
func FuzzToMatrix(f *testing.F) {
	seeds := []struct {
		text, mention1, mention2, stanza, participant string
	}{
		{"hello", "", "", "", ""},
		{"", "", "", "", ""},
		{"*bold* _it_ ~st~ `code`", "", "", "", ""},
		{"hi @" + alicePhone, alicePhone + "@s.whatsapp.net", "", "", ""},
		{"@" + evilPhone + " <script>alert(1)</script>", evilPhone + "@s.whatsapp.net", "", "", ""},
		{"@123 @456", "123@s.whatsapp.net", "456@lid", "3EB0", "123@s.whatsapp.net"},
		{"@" + mePhone, mePhone + "@s.whatsapp.net", "1.2:3@s.whatsapp.net", "X", ""},
		{"```<script>```", "a@b@c", ":@", "", "bad.jid.x@s.whatsapp.net"},
		{"> quote @1\n- item\n1. num", "1@s.whatsapp.net", "1@g.us", "id:with:colons", "1:2@s.whatsapp.net"},
		{"<img src=x onerror=alert(1)>", "", "", "", ""},
		{"*_nested @99_*", "99@s.whatsapp.net", "99:1@s.whatsapp.net", "", ""},
		{"\x00\xff @7", "7@s.whatsapp.net", "\xff@s.whatsapp.net", "\xff", "\xff"},
	}
	for _, s := range seeds {
		f.Add(s.text, s.mention1, s.mention2, s.stanza, s.participant)
	}
	f.Fuzz(func(t *testing.T, text, mention1, mention2, stanza, participant string) {
		users := newFakeUsers()
		users.anyGhost = true
		info := &waE2E.ContextInfo{MentionedJID: []string{mention1, mention2, userJID(evilPhone).String()}}
		if stanza != "" {
			info.StanzaID = proto.String(stanza)
		}
		if participant != "" {
			info.Participant = proto.String(participant)
		}
		chat := groupChat
		conv := waconv.ToMatrix(context.Background(), chat, extended(text, info), users)
		if conv == nil || len(conv.Parts) != 1 || conv.Parts[0] == nil || conv.Parts[0].Content == nil {
			t.Fatalf("ToMatrix = %+v, want one part with content", conv)
		}
		content := conv.Parts[0].Content
		if content.MsgType != event.MsgText {
			t.Fatalf("MsgType = %q, want m.text", content.MsgType)
		}
		if (stanza != "") != (conv.ReplyTo != nil) {
			t.Fatalf("stanza %q gave ReplyTo %+v", stanza, conv.ReplyTo)
		}
		if conv.ReplyTo != nil {
			id := string(conv.ReplyTo.MessageID)
			if !strings.HasPrefix(id, chat.String()+":") || !strings.HasSuffix(id, ":"+stanza) {
				t.Fatalf("ReplyTo.MessageID = %q for chat %s stanza %q", id, chat, stanza)
			}
		}
		if content.Mentions == nil {
			t.Fatal("Mentions is nil")
		}
		if content.FormattedBody == "" {
			if content.Format != "" {
				t.Fatalf("Format %q without FormattedBody", content.Format)
			}
			if content.Body != text {
				t.Fatalf("plain Body = %q, want the text %q", content.Body, text)
			}
			if len(content.Mentions.UserIDs) != 0 {
				t.Fatalf("mentions %v without a formatted body", content.Mentions.UserIDs)
			}
			return
		}
		if content.Format != event.FormatHTML {
			t.Fatalf("FormattedBody with Format %q", content.Format)
		}
		doc, err := html.Parse(strings.NewReader(content.FormattedBody))
		if err != nil {
			t.Fatalf("FormattedBody %q does not parse: %v", content.FormattedBody, err)
		}
		hrefs := map[string]bool{}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "style", "iframe", "img", "object":
					t.Fatalf("text %q produced <%s> in %q", text, n.Data, content.FormattedBody)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") {
						t.Fatalf("text %q produced attribute %s in %q", text, a.Key, content.FormattedBody)
					}
					if a.Key == "href" {
						if n.Data != "a" || !strings.HasPrefix(a.Val, "https://matrix.to/#/@") {
							t.Fatalf("text %q produced link %q in %q", text, a.Val, content.FormattedBody)
						}
						hrefs[a.Val] = true
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for _, mxid := range content.Mentions.UserIDs {
			if !strings.HasPrefix(string(mxid), ghostPrefix) && mxid != "@me:localhost" {
				t.Fatalf("mentioned %s, which the fake never returns", mxid)
			}
			if !hrefs[mxid.URI().MatrixToURL()] {
				t.Fatalf("mentioned %s has no pill in %q", mxid, content.FormattedBody)
			}
		}
		if len(hrefs) != len(content.Mentions.UserIDs) {
			t.Fatalf("%d pills but mentions %v in %q", len(hrefs), content.Mentions.UserIDs, content.FormattedBody)
		}
		if strings.TrimSpace(text) != "" && strings.TrimSpace(content.Body) == "" {
			t.Fatalf("text %q became an empty body (formatted %q)", text, content.FormattedBody)
		}
	})
}
