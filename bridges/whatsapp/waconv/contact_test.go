package waconv_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/waconv"
)

// fakeMedia records uploads; failUpload makes them fail. Downloads always fail.
type fakeMedia struct {
	uploads    []upload
	failUpload error
	encrypted  bool
}

type upload struct {
	data           []byte
	name, mimeType string
}

func (m *fakeMedia) Download(context.Context, whatsmeow.DownloadableMessage) ([]byte, error) {
	return nil, errors.New("fakeMedia has nothing to download")
}

func (m *fakeMedia) Upload(_ context.Context, data []byte, fileName, mimeType string) (id.ContentURIString, *event.EncryptedFileInfo, error) {
	if m.failUpload != nil {
		return "", nil, m.failUpload
	}
	m.uploads = append(m.uploads, upload{data: append([]byte(nil), data...), name: fileName, mimeType: mimeType})
	uri := id.ContentURIString(fmt.Sprintf("mxc://localhost/upload%d", len(m.uploads)))
	if m.encrypted {
		return "", &event.EncryptedFileInfo{URL: uri}, nil
	}
	return uri, nil, nil
}

// A contact card as WhatsApp's phones write it.
const aliceVCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Example;Alice;;;\r\nFN:Alice Example\r\n" +
	"item1.TEL;waid=4915112345678:+49 151 12345678\r\nitem1.X-ABLabel:Mobile\r\n" +
	"TEL;type=HOME:+49 30 1234567\r\nEND:VCARD"

const bobVCard = "BEGIN:VCARD\nVERSION:4.0\nFN:Bob Builder\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\nEND:VCARD\n"

func TestParseVCard(t *testing.T) {
	tests := []struct {
		name   string
		vcard  string
		want   string
		phones []string
	}{
		{"WhatsApp 3.0", aliceVCard, "Alice Example", []string{"+49 151 12345678", "+49 30 1234567"}},
		{"4.0 tel URI, LF lines", bobVCard, "Bob Builder", []string{"+1-555-0100"}},
		{"folded lines", "BEGIN:VCARD\r\nFN:Chris\r\n tine\r\n  Long\r\nTEL:+1 2\r\n\t34\r\nEND:VCARD", "Christine Long", []string{"+1 234"}},
		{"escapes", `FN:Doe\, John\; Jr.` + "\nTEL:1\\,2", "Doe, John; Jr.", []string{"1,2"}},
		{"newline escape and controls become spaces", "FN:Line\\nBreak\x07  Here\t", "Line Break Here", nil},
		{"structured name only", "BEGIN:VCARD\nN:Public;John;Quinlan;Dr.;Esq.\nEND:VCARD", "Dr. John Quinlan Public Esq.", nil},
		{"structured name with empty parts", "N:Solo;;;;", "Solo", nil},
		{"FN wins over N", "N:Last;First\nFN:Shown Name", "Shown Name", nil},
		{"first FN wins", "FN:One\nFN:Two", "One", nil},
		{"lower-case names and groups", "fn:quiet\nx.tel:+7 1\nGROUP.SUB.TEL:+7 2", "quiet", []string{"+7 1", "+7 2"}},
		{"parameters with quoted colon", `TEL;TYPE="x:y":+44 20` + "\nFN;LANGUAGE=de:Jörg", "Jörg", []string{"+44 20"}},
		{"2.1 quoted-printable", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=\r\nller\r\nTEL;CELL:0171 1\r\nEND:VCARD", "Jürgen Müller", []string{"0171 1"}},
		{"2.1 bare quoted-printable", "FN;QUOTED-PRINTABLE:Ren=C3=A9", "René", nil},
		{"empty and blank TEL skipped", "FN:X\nTEL:\nTEL: \nTEL:tel:\nTEL:5", "X", []string{"5"}},
		{"no name", "BEGIN:VCARD\nTEL:+1\nEND:VCARD", "", []string{"+1"}},
		{"lines without colon ignored", "garbage\nFN\nFN:Real", "Real", nil},
		{"invalid UTF-8 is replaced", "FN:a\xffb", "a\uFFFDb", nil},
		{"empty", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := waconv.ParseVCard(tt.vcard)
			if got.Name != tt.want {
				t.Errorf("Name = %q, want %q", got.Name, tt.want)
			}
			if !reflect.DeepEqual(got.Phones, tt.phones) {
				t.Errorf("Phones = %q, want %q", got.Phones, tt.phones)
			}
		})
	}
}

func TestContactFileName(t *testing.T) {
	tests := map[string]string{
		"Alice Example":          "Alice Example.vcf",
		"a/b\\c:d":               "a_b_c_d.vcf",
		"":                       "contact.vcf",
		"  ..  ":                 "contact.vcf",
		"..hidden":               "hidden.vcf",
		"Line\nBreak":            "Line Break.vcf",
		strings.Repeat("é", 150): strings.Repeat("é", 100) + ".vcf",
	}
	for in, want := range tests {
		if got := waconv.ContactFileName(in); got != want {
			t.Errorf("ContactFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func contactMsg(displayName, vcard string) *waE2E.ContactMessage {
	return &waE2E.ContactMessage{DisplayName: proto.String(displayName), Vcard: proto.String(vcard)}
}

func mediaToMatrix(t *testing.T, msg *waE2E.Message, media waconv.Media, maxSize int64) *bridgev2.ConvertedMessage {
	t.Helper()
	if !waconv.IsMedia(msg) {
		t.Fatalf("IsMedia(%v) = false: the connector would not give it Media", msg)
	}
	conv := waconv.MediaToMatrix(context.Background(), dmChat, msg, media, newFakeUsers(), maxSize)
	if conv == nil {
		t.Fatal("MediaToMatrix returned nil")
	}
	for i, p := range conv.Parts {
		if p == nil || p.Content == nil || p.Type != event.EventMessage {
			t.Fatalf("part %d = %+v", i, p)
		}
	}
	return conv
}

func TestContactToMatrix(t *testing.T) {
	media := &fakeMedia{}
	conv := mediaToMatrix(t, &waE2E.Message{ContactMessage: contactMsg("Alice (work)", aliceVCard)}, media, 0)
	if len(conv.Parts) != 1 {
		t.Fatalf("%d parts, want 1", len(conv.Parts))
	}
	part := conv.Parts[0]
	if part.ID != "" {
		t.Errorf("single contact has part ID %q, want the default", part.ID)
	}
	c := part.Content
	if c.MsgType != event.MsgFile || c.Body != "Contact: Alice (work)" || c.FileName != "Alice (work).vcf" || c.URL != "mxc://localhost/upload1" {
		t.Errorf("content = %s body %q file %q url %q", c.MsgType, c.Body, c.FileName, c.URL)
	}
	if c.Info == nil || c.Info.MimeType != "text/vcard" || c.Info.Size != len(aliceVCard) {
		t.Errorf("info = %+v", c.Info)
	}
	if len(media.uploads) != 1 || string(media.uploads[0].data) != aliceVCard || media.uploads[0].name != "Alice (work).vcf" || media.uploads[0].mimeType != "text/vcard" {
		t.Errorf("uploads = %+v, want the vCard once", media.uploads)
	}
	if conv.ReplyTo != nil {
		t.Errorf("ReplyTo = %+v", conv.ReplyTo)
	}
}

func TestContactNameFallbacks(t *testing.T) {
	tests := []struct {
		name, displayName, vcard, want string
	}{
		{"display name wins", "Shown", aliceVCard, "Contact: Shown"},
		{"blank display name: FN", "  ", aliceVCard, "Contact: Alice Example"},
		{"no FN: N", "", "N:Smith;Jane", "Contact: Jane Smith"},
		{"no name: phone", "", "TEL:+1 555", "Contact: +1 555"},
		{"nothing", "", "BEGIN:VCARD\nEND:VCARD", "Contact: unknown contact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := mediaToMatrix(t, &waE2E.Message{ContactMessage: contactMsg(tt.displayName, tt.vcard)}, &fakeMedia{}, 0)
			if got := conv.Parts[0].Content.Body; got != tt.want {
				t.Errorf("Body = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContactsArrayToMatrix(t *testing.T) {
	media := &fakeMedia{encrypted: true}
	info := &waE2E.ContextInfo{StanzaID: proto.String("3EB0ARR")}
	msg := &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{
		DisplayName: proto.String("2 contacts"),
		Contacts:    []*waE2E.ContactMessage{contactMsg("Alice", aliceVCard), contactMsg("Bob", bobVCard)},
		ContextInfo: info,
	}}
	conv := mediaToMatrix(t, msg, media, 0)
	if len(conv.Parts) != 2 {
		t.Fatalf("%d parts, want 2", len(conv.Parts))
	}
	for i, want := range []struct {
		id    networkid.PartID
		body  string
		vcard string
	}{{"0", "Contact: Alice", aliceVCard}, {"1", "Contact: Bob", bobVCard}} {
		p := conv.Parts[i]
		if p.ID != want.id || p.Content.Body != want.body || p.Content.MsgType != event.MsgFile {
			t.Errorf("part %d = id %q %s %q", i, p.ID, p.Content.MsgType, p.Content.Body)
		}
		if p.Content.File == nil || p.Content.URL != "" {
			t.Errorf("part %d: encrypted upload gave URL %q File %+v", i, p.Content.URL, p.Content.File)
		}
		if string(media.uploads[i].data) != want.vcard {
			t.Errorf("upload %d = %q", i, media.uploads[i].data)
		}
	}
	if want := ids.MessageID(dmChat, dmChat, "3EB0ARR"); conv.ReplyTo == nil || conv.ReplyTo.MessageID != want {
		t.Errorf("ReplyTo = %+v, want %s", conv.ReplyTo, want)
	}
}

// TestContactFallbacks: a card that cannot be a file is text with its name and numbers.
func TestContactFallbacks(t *testing.T) {
	tests := []struct {
		name    string
		media   *fakeMedia
		maxSize int64
		vcard   string
		want    []string
		uploads int
	}{
		{"upload fails", &fakeMedia{failUpload: errors.New("media repo down")}, 0, aliceVCard,
			[]string{"Contact: Alice\nPhone: +49 151 12345678\nPhone: +49 30 1234567\n", "could not be uploaded", "media repo down"}, 0},
		{"too large", &fakeMedia{}, 10, aliceVCard, []string{"Contact: Alice\nPhone: +49 151 12345678", "too large"}, 0},
		{"empty vCard", &fakeMedia{}, 0, "", []string{"Contact: Alice"}, 0},
		{"fits exactly", &fakeMedia{}, int64(len(aliceVCard)), aliceVCard, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := mediaToMatrix(t, &waE2E.Message{ContactMessage: contactMsg("Alice", tt.vcard)}, tt.media, tt.maxSize)
			if len(conv.Parts) != 1 {
				t.Fatalf("%d parts", len(conv.Parts))
			}
			c := conv.Parts[0].Content
			if len(tt.media.uploads) != tt.uploads {
				t.Errorf("%d uploads, want %d", len(tt.media.uploads), tt.uploads)
			}
			if tt.want == nil {
				if c.MsgType != event.MsgFile {
					t.Errorf("MsgType = %s, want m.file", c.MsgType)
				}
				return
			}
			if c.MsgType != event.MsgText || c.URL != "" || c.File != nil {
				t.Errorf("fallback is %s url %q", c.MsgType, c.URL)
			}
			for _, want := range tt.want {
				if !strings.Contains(c.Body, want) {
					t.Errorf("Body = %q lacks %q", c.Body, want)
				}
			}
		})
	}
}

func TestContactsArrayPartialFailure(t *testing.T) {
	// The second upload fails: the first stays a file, the second becomes text.
	media := &flakyMedia{okUploads: 1}
	msg := &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{Contacts: []*waE2E.ContactMessage{
		contactMsg("A", aliceVCard), contactMsg("B", bobVCard), nil,
	}}}
	conv := mediaToMatrix(t, msg, media, 0)
	if len(conv.Parts) != 3 {
		t.Fatalf("%d parts, want 3", len(conv.Parts))
	}
	if c := conv.Parts[0].Content; c.MsgType != event.MsgFile || c.Body != "Contact: A" {
		t.Errorf("part 0 = %s %q", c.MsgType, c.Body)
	}
	if c := conv.Parts[1].Content; c.MsgType != event.MsgText || !strings.HasPrefix(c.Body, "Contact: B\nPhone: +1-555-0100") {
		t.Errorf("part 1 = %s %q", c.MsgType, c.Body)
	}
	if c := conv.Parts[2].Content; c.MsgType != event.MsgText || c.Body != "Contact: unknown contact" {
		t.Errorf("nil contact = %s %q", c.MsgType, c.Body)
	}
	seen := map[networkid.PartID]bool{}
	for _, p := range conv.Parts {
		if seen[p.ID] {
			t.Errorf("part ID %q twice", p.ID)
		}
		seen[p.ID] = true
	}
}

type flakyMedia struct {
	fakeMedia
	okUploads int
}

func (m *flakyMedia) Upload(ctx context.Context, data []byte, fileName, mimeType string) (id.ContentURIString, *event.EncryptedFileInfo, error) {
	if len(m.uploads) >= m.okUploads {
		return "", nil, errors.New("quota exceeded")
	}
	return m.fakeMedia.Upload(ctx, data, fileName, mimeType)
}

func TestContactsWithoutMedia(t *testing.T) {
	// ToMatrix has no Media (edits, or a caller that does not check IsMedia): text, never lost.
	conv := waconv.ToMatrix(context.Background(), dmChat, &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{
		Contacts: []*waE2E.ContactMessage{contactMsg("Alice", aliceVCard), contactMsg("", bobVCard)},
	}}, newFakeUsers())
	if len(conv.Parts) != 2 || conv.Parts[0].ID != "0" || conv.Parts[1].ID != "1" {
		t.Fatalf("parts = %+v", conv.Parts)
	}
	if c := conv.Parts[1].Content; c.MsgType != event.MsgText || c.Body != "Contact: Bob Builder\nPhone: +1-555-0100" {
		t.Errorf("part 1 = %s %q", c.MsgType, c.Body)
	}
	content := onePart(t, dmChat, &waE2E.Message{ContactMessage: contactMsg("Alice", aliceVCard)}, newFakeUsers())
	if content.MsgType != event.MsgText || !strings.HasPrefix(content.Body, "Contact: Alice\nPhone: ") {
		t.Errorf("single contact without media = %s %q", content.MsgType, content.Body)
	}
	if strings.Contains(content.Body, "(") {
		t.Errorf("no failure to explain, but body says %q", content.Body)
	}
}

func TestEmptyContactsArray(t *testing.T) {
	conv := mediaToMatrix(t, &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{}}, &fakeMedia{}, 0)
	if len(conv.Parts) != 1 || conv.Parts[0].Content.MsgType != event.MsgNotice || !strings.Contains(conv.Parts[0].Content.Body, "empty list") {
		t.Errorf("empty array = %+v", conv.Parts[0].Content)
	}
}

func TestContactReplyToMatrix(t *testing.T) {
	msg := &waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String("A"), Vcard: proto.String(aliceVCard),
		ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("Q1"), Participant: proto.String(userJID(bobPhone).String())}}}
	conv := mediaToMatrix(t, msg, &fakeMedia{}, 0)
	if want := ids.MessageID(dmChat, userJID(bobPhone), "Q1"); conv.ReplyTo == nil || conv.ReplyTo.MessageID != want {
		t.Errorf("ReplyTo = %+v, want %s", conv.ReplyTo, want)
	}
}

func TestIsMedia(t *testing.T) {
	tests := []struct {
		msg  *waE2E.Message
		want bool
	}{
		{&waE2E.Message{ContactMessage: &waE2E.ContactMessage{}}, true},
		{&waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{}}, true},
		{&waE2E.Message{ImageMessage: &waE2E.ImageMessage{}}, true},
		{&waE2E.Message{LocationMessage: &waE2E.LocationMessage{}}, false},
		{&waE2E.Message{LiveLocationMessage: &waE2E.LiveLocationMessage{}}, false},
		{&waE2E.Message{Conversation: proto.String("x")}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := waconv.IsMedia(tt.msg); got != tt.want {
			t.Errorf("IsMedia(%v) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

// isCleanLine: one line of valid UTF-8, no control characters, trimmed, single spaces.
func isCleanLine(s string) bool {
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') {
			return false
		}
	}
	return true
}
