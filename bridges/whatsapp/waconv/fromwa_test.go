package waconv_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// Phone numbers used throughout the tests.
const (
	alicePhone   = "4915112345678" // a ghost with a display name
	bobPhone     = "4915187654321" // a ghost without a display name
	mePhone      = "4917000000000" // the logged-in user
	evilPhone    = "666"           // a ghost whose display name is HTML
	unknownPhone = "4930999999999" // not known to the bridge
)

const ghostPrefix = "@whatsapp_"

// fakeUsers maps WhatsApp JIDs to Matrix users the way the connector does: phone-number users
// are ghosts "@whatsapp_<digits>:localhost", and one phone number is the logged-in Matrix user
// "@me:localhost".
type fakeUsers struct {
	names map[string]string // phone → display name of known ghosts ("" = no name)
	me    types.JID
	// anyGhost makes every s.whatsapp.net user a known ghost named "User <digits>" (fuzzing).
	anyGhost bool
}

func newFakeUsers() *fakeUsers {
	return &fakeUsers{
		names: map[string]string{
			alicePhone: "Alice",
			bobPhone:   "",
			evilPhone:  `<script>alert("x")</script> & "Eve"`,
		},
		me: types.NewJID(mePhone, types.DefaultUserServer),
	}
}

var errUnknownUser = errors.New("unknown WhatsApp user")

func ghostMXID(phone string) id.UserID { return id.UserID(ghostPrefix + phone + ":localhost") }

func (u *fakeUsers) MatrixUser(_ context.Context, jid types.JID) (id.UserID, string, error) {
	jid = jid.ToNonAD()
	if jid == u.me {
		return "@me:localhost", "Me Myself", nil
	}
	if jid.Server != types.DefaultUserServer {
		return "", "", errUnknownUser
	}
	if name, ok := u.names[jid.User]; ok {
		return ghostMXID(jid.User), name, nil
	}
	if u.anyGhost && isDigits(jid.User) {
		return ghostMXID(jid.User), "User " + jid.User, nil
	}
	return "", "", errUnknownUser
}

func (u *fakeUsers) WhatsAppUser(_ context.Context, mxid id.UserID) (types.JID, bool) {
	if mxid == "@me:localhost" {
		return u.me, true
	}
	rest, ok := strings.CutPrefix(string(mxid), ghostPrefix)
	if !ok {
		return types.JID{}, false
	}
	phone, ok := strings.CutSuffix(rest, ":localhost")
	if !ok || !isDigits(phone) {
		return types.JID{}, false
	}
	return types.NewJID(phone, types.DefaultUserServer), true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func userJID(phone string) types.JID { return types.NewJID(phone, types.DefaultUserServer) }

var (
	dmChat    = userJID(alicePhone)
	groupChat = types.NewJID("120363000000000000", types.GroupServer)
)

func extended(text string, info *waE2E.ContextInfo) *waE2E.Message {
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text), ContextInfo: info}}
}

// onePart returns the only part of a conversion, failing the test if there is not exactly one.
func onePart(t *testing.T, chat types.JID, msg *waE2E.Message, users waconv.Users) *event.MessageEventContent {
	t.Helper()
	conv := waconv.ToMatrix(context.Background(), chat, msg, users)
	if conv == nil {
		t.Fatal("ToMatrix returned nil")
	}
	if len(conv.Parts) != 1 {
		t.Fatalf("ToMatrix returned %d parts, want 1", len(conv.Parts))
	}
	part := conv.Parts[0]
	if part.Type != event.EventMessage {
		t.Errorf("part type = %v, want %v", part.Type, event.EventMessage)
	}
	if part.Content == nil {
		t.Fatal("part has no content")
	}
	return part.Content
}

func TestToMatrixText(t *testing.T) {
	aliceURL := ghostMXID(alicePhone).URI().MatrixToURL()
	bobURL := ghostMXID(bobPhone).URI().MatrixToURL()
	meURL := id.UserID("@me:localhost").URI().MatrixToURL()
	tests := []struct {
		name          string
		msg           *waE2E.Message
		wantBody      string
		wantFormatted string // "" = plain message without format
		wantMentions  []id.UserID
	}{
		{
			name:     "conversation",
			msg:      &waE2E.Message{Conversation: proto.String("hello there")},
			wantBody: "hello there",
		},
		{
			name:     "html-like text stays a plain body",
			msg:      &waE2E.Message{Conversation: proto.String("a <b>not bold</b> & c")},
			wantBody: "a <b>not bold</b> & c",
		},
		{
			name:     "extended text without context",
			msg:      extended("just text", nil),
			wantBody: "just text",
		},
		{
			name:          "bold",
			msg:           extended("*bold* move", nil),
			wantBody:      "**bold** move", // Body is the Markdown rendering of the HTML
			wantFormatted: "<strong>bold</strong> move",
		},
		{
			name:          "italic strike code",
			msg:           &waE2E.Message{Conversation: proto.String("_i_ ~s~ `c`")},
			wantBody:      "_i_ ~~s~~ `c`",
			wantFormatted: "<em>i</em> <del>s</del> <code>c</code>",
		},
		{
			name:          "known mention becomes a pill",
			msg:           extended("hi @"+alicePhone+"!", &waE2E.ContextInfo{MentionedJID: []string{userJID(alicePhone).String()}}),
			wantBody:      "hi Alice!",
			wantFormatted: `hi <a href="` + aliceURL + `">Alice</a>!`,
			wantMentions:  []id.UserID{ghostMXID(alicePhone)},
		},
		{
			name:          "mention of a device JID",
			msg:           extended("@"+alicePhone, &waE2E.ContextInfo{MentionedJID: []string{types.NewADJID(alicePhone, 0, 7).String()}}),
			wantBody:      "Alice",
			wantFormatted: `<a href="` + aliceURL + `">Alice</a>`,
			wantMentions:  []id.UserID{ghostMXID(alicePhone)},
		},
		{
			name:          "ghost without name shows its mxid",
			msg:           extended("@"+bobPhone, &waE2E.ContextInfo{MentionedJID: []string{userJID(bobPhone).String()}}),
			wantBody:      string(ghostMXID(bobPhone)),
			wantFormatted: `<a href="` + bobURL + `">` + string(ghostMXID(bobPhone)) + `</a>`,
			wantMentions:  []id.UserID{ghostMXID(bobPhone)},
		},
		{
			name:          "mention of the logged-in user",
			msg:           extended("hey @"+mePhone, &waE2E.ContextInfo{MentionedJID: []string{userJID(mePhone).String()}}),
			wantBody:      "hey Me Myself",
			wantFormatted: `hey <a href="` + meURL + `">Me Myself</a>`,
			wantMentions:  []id.UserID{"@me:localhost"},
		},
		{
			name: "two mentions, one twice",
			msg: extended("@"+alicePhone+" @"+bobPhone+" @"+alicePhone, &waE2E.ContextInfo{MentionedJID: []string{
				userJID(alicePhone).String(), userJID(bobPhone).String(),
			}}),
			wantBody:      "Alice " + string(ghostMXID(bobPhone)) + " Alice",
			wantFormatted: `<a href="` + aliceURL + `">Alice</a> <a href="` + bobURL + `">` + string(ghostMXID(bobPhone)) + `</a> <a href="` + aliceURL + `">Alice</a>`,
			wantMentions:  []id.UserID{ghostMXID(alicePhone), ghostMXID(bobPhone)},
		},
		{
			name:     "unknown mention stays text",
			msg:      extended("hi @"+unknownPhone, &waE2E.ContextInfo{MentionedJID: []string{userJID(unknownPhone).String()}}),
			wantBody: "hi @" + unknownPhone,
		},
		{
			name:     "number not in MentionedJID stays text",
			msg:      extended("call @"+alicePhone, &waE2E.ContextInfo{}),
			wantBody: "call @" + alicePhone,
		},
		{
			name:     "unparseable mentioned JID is ignored",
			msg:      extended("hi @"+alicePhone, &waE2E.ContextInfo{MentionedJID: []string{alicePhone + ".x:y@s.whatsapp.net", "@s.whatsapp.net", ""}}),
			wantBody: "hi @" + alicePhone,
		},
		{
			name:          "display name is escaped",
			msg:           extended("@"+evilPhone, &waE2E.ContextInfo{MentionedJID: []string{userJID(evilPhone).String()}}),
			wantBody:      `<script>alert("x")</script> & "Eve"`,
			wantFormatted: `<a href="` + ghostMXID(evilPhone).URI().MatrixToURL() + `">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Eve&#34;</a>`,
			wantMentions:  []id.UserID{ghostMXID(evilPhone)},
		},
		{
			name:          "mention inside bold",
			msg:           extended("*hi @"+alicePhone+"*", &waE2E.ContextInfo{MentionedJID: []string{userJID(alicePhone).String()}}),
			wantBody:      "**hi Alice**",
			wantFormatted: `<strong>hi <a href="` + aliceURL + `">Alice</a></strong>`,
			wantMentions:  []id.UserID{ghostMXID(alicePhone)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := onePart(t, groupChat, tt.msg, newFakeUsers())
			if content.MsgType != event.MsgText {
				t.Errorf("MsgType = %q, want m.text", content.MsgType)
			}
			if content.Body != tt.wantBody {
				t.Errorf("Body = %q, want %q", content.Body, tt.wantBody)
			}
			if tt.wantFormatted == "" {
				if content.Format != "" || content.FormattedBody != "" {
					t.Errorf("plain message got Format %q, FormattedBody %q", content.Format, content.FormattedBody)
				}
			} else {
				if content.Format != event.FormatHTML {
					t.Errorf("Format = %q, want %q", content.Format, event.FormatHTML)
				}
				if content.FormattedBody != tt.wantFormatted {
					t.Errorf("FormattedBody = %q, want %q", content.FormattedBody, tt.wantFormatted)
				}
			}
			if content.Mentions == nil {
				t.Fatal("Mentions is nil: a message without mentions must say so explicitly")
			}
			if !equalUserIDs(content.Mentions.UserIDs, tt.wantMentions) {
				t.Errorf("Mentions.UserIDs = %v, want %v", content.Mentions.UserIDs, tt.wantMentions)
			}
			if content.Mentions.Room {
				t.Error("Mentions.Room set")
			}
		})
	}
}

func equalUserIDs(a, b []id.UserID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestToMatrixMentionPill(t *testing.T) {
	// The brief in the form a Matrix client sees it: a pill whose href names the ghost.
	msg := extended("ping @"+alicePhone, &waE2E.ContextInfo{MentionedJID: []string{alicePhone + "@s.whatsapp.net"}})
	content := onePart(t, dmChat, msg, newFakeUsers())
	if want := `<a href="https://matrix.to/#/@whatsapp_` + alicePhone + `:localhost">Alice</a>`; !strings.Contains(content.FormattedBody, want) {
		t.Errorf("FormattedBody = %q, want it to contain %q", content.FormattedBody, want)
	}
	if !strings.Contains(content.Body, "Alice") {
		t.Errorf("Body = %q, want the mentioned name", content.Body)
	}
	if !content.Mentions.Has(ghostMXID(alicePhone)) {
		t.Errorf("Mentions = %v, want %s", content.Mentions.UserIDs, ghostMXID(alicePhone))
	}
}

func TestToMatrixNilUsers(t *testing.T) {
	msg := extended("*hi* @"+alicePhone, &waE2E.ContextInfo{MentionedJID: []string{userJID(alicePhone).String()}})
	content := onePart(t, dmChat, msg, nil)
	if content.FormattedBody != "<strong>hi</strong> @"+alicePhone {
		t.Errorf("FormattedBody = %q: without Users mentions must stay text", content.FormattedBody)
	}
	if len(content.Mentions.UserIDs) != 0 {
		t.Errorf("Mentions = %v, want none", content.Mentions.UserIDs)
	}
}

// emptyMXIDUsers knows every user but maps them to no Matrix user.
type emptyMXIDUsers struct{ *fakeUsers }

func (emptyMXIDUsers) MatrixUser(context.Context, types.JID) (id.UserID, string, error) {
	return "", "Nobody", nil
}

func TestToMatrixEmptyMXIDStaysText(t *testing.T) {
	msg := extended("hi @"+alicePhone, &waE2E.ContextInfo{MentionedJID: []string{userJID(alicePhone).String()}})
	content := onePart(t, dmChat, msg, emptyMXIDUsers{newFakeUsers()})
	if content.Body != "hi @"+alicePhone || content.FormattedBody != "" || len(content.Mentions.UserIDs) != 0 {
		t.Errorf("got Body %q FormattedBody %q Mentions %v; want the mention left as text", content.Body, content.FormattedBody, content.Mentions.UserIDs)
	}
}

func TestToMatrixReply(t *testing.T) {
	sender := userJID(bobPhone)
	tests := []struct {
		name string
		chat types.JID
		info *waE2E.ContextInfo
		want string // "" = no reply
	}{
		{
			name: "group reply names the quoted sender",
			chat: groupChat,
			info: &waE2E.ContextInfo{StanzaID: proto.String("3EB0QUOTED"), Participant: proto.String(sender.String())},
			want: string(ids.MessageID(groupChat, sender, "3EB0QUOTED")),
		},
		{
			name: "participant device is dropped",
			chat: groupChat,
			info: &waE2E.ContextInfo{StanzaID: proto.String("3EB0QUOTED"), Participant: proto.String(types.NewADJID(bobPhone, 0, 12).String())},
			want: groupChat.String() + ":" + sender.String() + ":3EB0QUOTED",
		},
		{
			name: "no participant: sender is the chat",
			chat: dmChat,
			info: &waE2E.ContextInfo{StanzaID: proto.String("ABC123")},
			want: string(ids.MessageID(dmChat, dmChat, "ABC123")),
		},
		{
			name: "unparseable participant: sender is the chat",
			chat: dmChat,
			info: &waE2E.ContextInfo{StanzaID: proto.String("ABC123"), Participant: proto.String("a.b.c@s.whatsapp.net")},
			want: string(ids.MessageID(dmChat, dmChat, "ABC123")),
		},
		{
			name: "participant without user: sender is the chat",
			chat: dmChat,
			info: &waE2E.ContextInfo{StanzaID: proto.String("ABC123"), Participant: proto.String("s.whatsapp.net")},
			want: string(ids.MessageID(dmChat, dmChat, "ABC123")),
		},
		{
			name: "no stanza ID: not a reply",
			chat: groupChat,
			info: &waE2E.ContextInfo{Participant: proto.String(sender.String())},
		},
		{
			name: "mentions only: not a reply",
			chat: groupChat,
			info: &waE2E.ContextInfo{MentionedJID: []string{sender.String()}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := waconv.ToMatrix(context.Background(), tt.chat, extended("the reply", tt.info), newFakeUsers())
			if len(conv.Parts) != 1 || conv.Parts[0].Content.Body != "the reply" {
				t.Fatalf("parts = %+v, want one part with the reply text", conv.Parts)
			}
			if tt.want == "" {
				if conv.ReplyTo != nil {
					t.Errorf("ReplyTo = %+v, want none", conv.ReplyTo)
				}
				return
			}
			if conv.ReplyTo == nil {
				t.Fatalf("ReplyTo = nil, want %s", tt.want)
			}
			if string(conv.ReplyTo.MessageID) != tt.want {
				t.Errorf("ReplyTo.MessageID = %q, want %q", conv.ReplyTo.MessageID, tt.want)
			}
			if conv.ReplyTo.PartID != nil {
				t.Errorf("ReplyTo.PartID = %v, want nil", *conv.ReplyTo.PartID)
			}
			parsed, err := ids.ParseMessageID(conv.ReplyTo.MessageID)
			if err != nil {
				t.Fatalf("reply target does not parse back: %v", err)
			}
			if parsed.Chat != tt.chat || parsed.ID != types.MessageID(tt.info.GetStanzaID()) {
				t.Errorf("reply target parsed as %+v", parsed)
			}
		})
	}
}

func TestToMatrixPlainConversationIsNotAReply(t *testing.T) {
	conv := waconv.ToMatrix(context.Background(), dmChat, &waE2E.Message{Conversation: proto.String("x")}, newFakeUsers())
	if conv.ReplyTo != nil {
		t.Errorf("ReplyTo = %+v for a plain conversation", conv.ReplyTo)
	}
}

func TestToMatrixUnsupported(t *testing.T) {
	tests := []struct {
		name string
		msg  *waE2E.Message
		kind string
	}{
		{"nil message", nil, "empty message"},
		{"empty message", &waE2E.Message{}, "message"},
		{"empty conversation", &waE2E.Message{Conversation: proto.String("")}, "message"},
		{"extended text without text or context", &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{}}, "message"},
		{"image", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("a caption")}}, "image"},
		{"video", &waE2E.Message{VideoMessage: &waE2E.VideoMessage{}}, "video"},
		{"audio", &waE2E.Message{AudioMessage: &waE2E.AudioMessage{}}, "audio message"},
		{"document", &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{}}, "document"},
		{"sticker", &waE2E.Message{StickerMessage: &waE2E.StickerMessage{}}, "sticker"},
		// Locations and contact cards are bridged: location_test.go, contact_test.go.
		{"poll", &waE2E.Message{PollCreationMessage: &waE2E.PollCreationMessage{Name: proto.String("lunch?")}}, "poll"},
		{"poll v3", &waE2E.Message{PollCreationMessageV3: &waE2E.PollCreationMessage{}}, "poll"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := waconv.ToMatrix(context.Background(), dmChat, tt.msg, newFakeUsers())
			if conv.ReplyTo != nil {
				t.Errorf("ReplyTo = %+v, want none", conv.ReplyTo)
			}
			content := onePart(t, dmChat, tt.msg, newFakeUsers())
			if content.MsgType != event.MsgNotice {
				t.Errorf("MsgType = %q, want m.notice", content.MsgType)
			}
			if !strings.Contains(content.Body, "Unsupported WhatsApp") {
				t.Errorf("Body = %q, want it to say the message is unsupported", content.Body)
			}
			if want := "Unsupported WhatsApp " + tt.kind + ":"; !strings.HasPrefix(content.Body, want) {
				t.Errorf("Body = %q, want it to start with %q", content.Body, want)
			}
			if content.Format != "" || content.FormattedBody != "" {
				t.Errorf("notice has Format %q FormattedBody %q", content.Format, content.FormattedBody)
			}
		})
	}
}

func TestTextToMatrixPlain(t *testing.T) {
	content := waconv.TextToMatrix(context.Background(), "x < y", nil, newFakeUsers())
	if content.MsgType != event.MsgText || content.Body != "x < y" || content.Format != "" || content.FormattedBody != "" {
		t.Errorf("TextToMatrix = %+v, want plain m.text", content)
	}
	if content.Mentions == nil || len(content.Mentions.UserIDs) != 0 {
		t.Errorf("Mentions = %+v, want empty", content.Mentions)
	}
}
