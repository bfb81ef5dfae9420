package waconv

import (
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strconv"
	"strings"
	"unicode"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"
)

// vCardMimeType is how contact cards are uploaded to Matrix.
const vCardMimeType = "text/vcard"

// VCard is what the bridge reads of a vCard: whom it describes and their phone numbers.
type VCard struct {
	// Name is the formatted name (FN), else the parts of the structured name (N); "" if
	// neither is there. It is one line of valid UTF-8 without control characters.
	Name string
	// Phones are the TEL values in order ("tel:" URIs without the scheme), each non-empty and
	// clean like Name.
	Phones []string
}

// ParseVCard reads the name and phone numbers of a vCard (2.1, 3.0 or 4.0). It is lenient:
// it never fails, it skips what it does not understand, and on a card with several FN lines
// the first wins. Folded lines and quoted-printable values (vCard 2.1) are understood.
func ParseVCard(data string) VCard {
	var card VCard
	var structured string
	for _, line := range unfoldVCard(data) {
		name, params, value, ok := splitVCardLine(line)
		if !ok {
			continue
		}
		if hasQuotedPrintable(params) {
			value = decodeQuotedPrintable(value)
		}
		switch name {
		case "FN":
			if card.Name == "" {
				card.Name = cleanLine(unescapeVCard(value))
			}
		case "N":
			if structured == "" {
				structured = structuredName(value)
			}
		case "TEL":
			v := strings.TrimSpace(value)
			if len(v) >= 4 && strings.EqualFold(v[:4], "tel:") {
				v = v[4:]
			}
			if v = cleanLine(unescapeVCard(v)); v != "" {
				card.Phones = append(card.Phones, v)
			}
		}
	}
	if card.Name == "" {
		card.Name = structured
	}
	return card
}

// unfoldVCard splits a vCard into logical lines: a line that starts with a space or tab
// continues the one before (RFC 6350 §3.2), and so does the line after a quoted-printable line
// ending in a soft line break "=".
func unfoldVCard(data string) []string {
	data = strings.ReplaceAll(data, "\r\n", "\n")
	data = strings.ReplaceAll(data, "\r", "\n")
	var lines []string
	softBreak := false
	for _, raw := range strings.Split(data, "\n") {
		n := len(lines)
		switch {
		case softBreak && n > 0:
			lines[n-1] = strings.TrimSuffix(lines[n-1], "=") + raw
		case raw != "" && (raw[0] == ' ' || raw[0] == '\t') && n > 0:
			lines[n-1] += raw[1:]
		default:
			lines = append(lines, raw)
		}
		last := lines[len(lines)-1]
		head, _, _ := cutOutsideQuotes(last, ':')
		softBreak = strings.HasSuffix(last, "=") && strings.Contains(strings.ToUpper(head), "QUOTED-PRINTABLE")
	}
	return lines
}

// splitVCardLine splits "group.NAME;PARAM=x;PARAM2:value" into the upper-case property name
// without its group, the parameters and the value.
func splitVCardLine(line string) (name string, params []string, value string, ok bool) {
	head, value, ok := cutOutsideQuotes(line, ':')
	if !ok {
		return "", nil, "", false
	}
	parts := strings.Split(head, ";")
	name = strings.TrimSpace(parts[0])
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	return strings.ToUpper(name), parts[1:], value, true
}

// cutOutsideQuotes is strings.Cut at the first sep that is not inside double quotes.
func cutOutsideQuotes(s string, sep byte) (before, after string, found bool) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// hasQuotedPrintable reports "ENCODING=QUOTED-PRINTABLE" or vCard 2.1's bare "QUOTED-PRINTABLE".
func hasQuotedPrintable(params []string) bool {
	for _, p := range params {
		p = strings.ToUpper(strings.TrimSpace(p))
		if p == "QUOTED-PRINTABLE" || p == "ENCODING=QUOTED-PRINTABLE" {
			return true
		}
	}
	return false
}

// decodeQuotedPrintable decodes what it can; a broken encoding leaves the value as it was.
func decodeQuotedPrintable(s string) string {
	decoded, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		return s
	}
	return string(decoded)
}

// unescapeVCard resolves the backslash escapes of vCard text values.
func unescapeVCard(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i == len(s)-1 {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(s[i]) // \\ \, \; and anything else: the character itself
		}
	}
	return b.String()
}

// structuredName renders N (family;given;additional;prefixes;suffixes) in reading order.
func structuredName(value string) string {
	parts := splitUnescaped(value, ';')
	for len(parts) < 5 {
		parts = append(parts, "")
	}
	var words []string
	for _, i := range []int{3, 1, 2, 0, 4} {
		if w := cleanLine(unescapeVCard(strings.ReplaceAll(parts[i], ",", " "))); w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// splitUnescaped splits s at every sep that no backslash escapes.
func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// cleanLine makes s one tidy line: valid UTF-8, control characters and runs of white space
// turned into single spaces, trimmed.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// contactFileName is the name of the .vcf file of a contact: the name, without characters
// file systems or clients trip over, at most 100 characters, "contact" if nothing is left.
func contactFileName(name string) string {
	var b strings.Builder
	count := 0
	for _, r := range cleanLine(name) {
		if count == 100 {
			break
		}
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			r = '_'
		}
		b.WriteRune(r)
		count++
	}
	base := strings.Trim(b.String(), " .")
	if base == "" {
		base = "contact"
	}
	return base + ".vcf"
}

// contactsOf returns the cards of a contact or contact-list message and the message's context.
func contactsOf(msg *waE2E.Message) (cards []*waE2E.ContactMessage, info *waE2E.ContextInfo, isArray, ok bool) {
	if c := msg.GetContactMessage(); c != nil {
		return []*waE2E.ContactMessage{c}, c.GetContextInfo(), false, true
	}
	if a := msg.GetContactsArrayMessage(); a != nil {
		return a.GetContacts(), a.GetContextInfo(), true, true
	}
	return nil, nil, false, false
}

// isContact reports whether a message is a contact card or a list of them.
func isContact(msg *waE2E.Message) bool {
	_, _, _, ok := contactsOf(msg)
	return ok
}

// contactsToMatrix bridges contact cards, one Matrix event per card: the vCard as a file
// uploaded through media. Without media, or when a card cannot be uploaded, the card becomes
// text with its name and phone numbers, so the contact is never lost. The parts of a list
// have the part IDs "0", "1", …; a single card has the default part.
func contactsToMatrix(ctx context.Context, chat types.JID, msg *waE2E.Message, media Media, maxSize int64) *bridgev2.ConvertedMessage {
	cards, info, isArray, _ := contactsOf(msg)
	conv := &bridgev2.ConvertedMessage{ReplyTo: replyTarget(chat, info)}
	if len(cards) == 0 {
		return withNotice(conv, "Shared an empty list of WhatsApp contacts.")
	}
	for i, card := range cards {
		part := &bridgev2.ConvertedMessagePart{Type: event.EventMessage, Content: contactToMatrix(ctx, card, media, maxSize)}
		if isArray {
			part.ID = networkid.PartID(strconv.Itoa(i))
		}
		conv.Parts = append(conv.Parts, part)
	}
	return conv
}

// contactToMatrix bridges one contact card.
func contactToMatrix(ctx context.Context, card *waE2E.ContactMessage, media Media, maxSize int64) *event.MessageEventContent {
	vcard := card.GetVcard()
	parsed := ParseVCard(vcard)
	name := cleanLine(card.GetDisplayName())
	if name == "" {
		name = parsed.Name
	}
	if name == "" && len(parsed.Phones) > 0 {
		name = parsed.Phones[0]
	}
	if name == "" {
		name = "unknown contact"
	}
	switch {
	case vcard == "" || media == nil:
		return contactText(name, parsed.Phones, "")
	case maxSize > 0 && int64(len(vcard)) > maxSize:
		return contactText(name, parsed.Phones, "the contact card is too large to bridge as a file")
	}
	fileName := contactFileName(name)
	url, file, err := media.Upload(ctx, []byte(vcard), fileName, vCardMimeType)
	if err != nil {
		return contactText(name, parsed.Phones, fmt.Sprintf("the contact card file could not be uploaded to Matrix: %v", err))
	}
	return &event.MessageEventContent{
		MsgType:  event.MsgFile,
		Body:     "Contact: " + name,
		FileName: fileName,
		URL:      url,
		File:     file,
		Info:     &event.FileInfo{MimeType: vCardMimeType, Size: len(vcard)},
		Mentions: &event.Mentions{},
	}
}

// contactText is a contact as text, with why it is not a file if there is a reason to say.
func contactText(name string, phones []string, why string) *event.MessageEventContent {
	var b strings.Builder
	b.WriteString("Contact: " + name)
	for _, p := range phones {
		b.WriteString("\nPhone: " + p)
	}
	if why != "" {
		b.WriteString("\n(" + why + ")")
	}
	return &event.MessageEventContent{MsgType: event.MsgText, Body: b.String(), Mentions: &event.Mentions{}}
}
