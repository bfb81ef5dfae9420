package markup

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gotd/td/tg"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"maunium.net/go/mautrix/id"
)

// testUsers is a fixed resolver used by the table tests.
type testUsers struct{}

func (testUsers) MatrixUser(userID int64) (id.UserID, string, bool) {
	switch userID {
	case 123:
		return "@alice:example.org", "Alice", true
	case 456:
		return "@telegram_456:example.org", "Bob (Telegram)", true
	case 789:
		return "not-a-user-id", "Broken", true
	}
	return "", "", false
}

func (testUsers) MatrixUserByUsername(username string) (id.UserID, string, bool) {
	if username == "alice" {
		return "@alice:example.org", "Alice", true
	}
	return "", "", false
}

func (testUsers) TelegramUser(mxid id.UserID) (int64, bool) {
	switch mxid {
	case "@alice:example.org":
		return 123, true
	case "@telegram_456:example.org":
		return 456, true
	}
	return 0, false
}

// fuzzUsers resolves a deterministic subset of users so fuzzing covers both
// resolved and unresolved mentions.
type fuzzUsers struct{}

func (fuzzUsers) MatrixUser(userID int64) (id.UserID, string, bool) {
	if userID%2 == 0 {
		return "", "", false
	}
	return id.UserID("@tg_" + strconv.FormatInt(userID, 10) + ":example.org"), "User <" + strconv.FormatInt(userID, 10) + ">", true
}

func (fuzzUsers) MatrixUserByUsername(username string) (id.UserID, string, bool) {
	if len(username)%2 == 1 {
		return "", "", false
	}
	return id.UserID("@name_" + strconv.Itoa(len(username)) + ":example.org"), username, true
}

func (fuzzUsers) TelegramUser(mxid id.UserID) (int64, bool) {
	if len(mxid)%2 == 1 {
		return 0, false
	}
	return int64(len(mxid)), true
}

// fragmentContext is the <body> context used to parse generated HTML.
var fragmentContext = &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}

func parseFragment(t testing.TB, s string) []*html.Node {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), fragmentContext)
	if err != nil {
		t.Fatalf("output does not parse: %v\n%q", err, s)
	}
	return nodes
}

// visibleText concatenates the text of a parsed fragment, turning <br> into
// newlines.
func visibleText(nodes []*html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

// expectedVisible is what an HTML parser will report as the text of the
// rendering of s: invalid bytes and NUL become U+FFFD and CR/CRLF become LF.
func expectedVisible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case 0:
			r = utf8.RuneError
		case '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			r = '\n'
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	languageClass = regexp.MustCompile(`^language-[A-Za-z0-9+#_-]+$`)
	telLink       = regexp.MustCompile(`^tel:\+?[0-9]+$`)
	allowedTags   = map[atom.Atom]bool{
		atom.Strong: true, atom.Em: true, atom.U: true, atom.Del: true,
		atom.Code: true, atom.Pre: true, atom.A: true, atom.Span: true,
		atom.Blockquote: true, atom.Br: true,
	}
)

// checkOutputTree verifies that a parsed ToHTML output only uses the allowed
// tags and attributes, that links are safe and not nested, and that block
// elements are never inside inline ones.
func checkOutputTree(nodes []*html.Node) error {
	var walk func(n *html.Node, inLink, inInline bool) error
	walk = func(n *html.Node, inLink, inInline bool) error {
		switch n.Type {
		case html.TextNode:
			return nil
		case html.ElementNode:
		default:
			return fmt.Errorf("unexpected node type %v (%q)", n.Type, n.Data)
		}
		if !allowedTags[n.DataAtom] {
			return fmt.Errorf("disallowed tag <%s>", n.Data)
		}
		for _, a := range n.Attr {
			ok := false
			switch {
			case n.DataAtom == atom.A && a.Key == "href":
				_, ok = safeLinkURL(a.Val)
				ok = ok || telLink.MatchString(a.Val)
			case n.DataAtom == atom.Span && a.Key == "data-mx-spoiler":
				ok = a.Val == ""
			case n.DataAtom == atom.Code && a.Key == "class":
				ok = languageClass.MatchString(a.Val) && n.Parent != nil && n.Parent.DataAtom == atom.Pre
			}
			if !ok {
				return fmt.Errorf("disallowed attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
			}
		}
		switch n.DataAtom {
		case atom.A:
			if inLink {
				return fmt.Errorf("nested link")
			}
			if _, ok := attr(n, "href"); !ok {
				return fmt.Errorf("link without href")
			}
			inLink = true
			inInline = true
		case atom.Pre, atom.Blockquote:
			if inInline {
				return fmt.Errorf("block <%s> inside inline element", n.Data)
			}
		case atom.Br:
		case atom.Code:
			if n.Parent == nil || n.Parent.DataAtom != atom.Pre {
				inInline = true
			}
		default:
			inInline = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c, inLink, inInline); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := walk(n, false, false); err != nil {
			return err
		}
	}
	return nil
}

// checkEntities verifies the invariants FromHTML promises for its output.
func checkEntities(text string, entities []tg.MessageEntityClass) error {
	if !utf8.ValidString(text) {
		return fmt.Errorf("text is not valid UTF-8: %q", text)
	}
	if strings.TrimSpace(text) != text {
		return fmt.Errorf("text is not trimmed: %q", text)
	}
	boundary := map[int]bool{0: true}
	n := 0
	for _, r := range text {
		n += runeUTF16Len(r)
		boundary[n] = true
	}
	prev := 0
	for i, ent := range entities {
		if ent == nil {
			return fmt.Errorf("entity %d is nil", i)
		}
		off, length := ent.GetOffset(), ent.GetLength()
		if off < 0 || length <= 0 || off+length > n {
			return fmt.Errorf("entity %d (%s) out of range: offset %d length %d, text length %d", i, ent.TypeName(), off, length, n)
		}
		if !boundary[off] || !boundary[off+length] {
			return fmt.Errorf("entity %d (%s) splits a surrogate pair", i, ent.TypeName())
		}
		if off < prev {
			return fmt.Errorf("entity %d not sorted by offset", i)
		}
		prev = off
		switch e := ent.(type) {
		case *tg.MessageEntityTextURL:
			if _, ok := safeLinkURL(e.URL); !ok {
				return fmt.Errorf("unsafe text URL %q", e.URL)
			}
		case *tg.MessageEntityPre:
			if e.Language != sanitizeLanguage(e.Language) {
				return fmt.Errorf("unsanitized language %q", e.Language)
			}
		case *tg.MessageEntityBold, *tg.MessageEntityItalic, *tg.MessageEntityUnderline,
			*tg.MessageEntityStrike, *tg.MessageEntitySpoiler, *tg.MessageEntityCode,
			*tg.MessageEntityBlockquote, *tg.MessageEntityMentionName:
		default:
			return fmt.Errorf("unexpected entity type %s", ent.TypeName())
		}
	}
	return nil
}

// checkToHTML runs ToHTML and verifies every output invariant.
func checkToHTML(t testing.TB, text string, entities []tg.MessageEntityClass, users UserResolver) string {
	t.Helper()
	out, changed, _ := ToHTML(text, entities, users)
	if !utf8.ValidString(out) {
		t.Fatalf("output is not valid UTF-8: %q", out)
	}
	nodes := parseFragment(t, out)
	if err := checkOutputTree(nodes); err != nil {
		t.Fatalf("%v\ntext: %q\nentities: %v\nhtml: %q", err, text, entities, out)
	}
	if got, want := visibleText(nodes), expectedVisible(text); got != want {
		t.Fatalf("visible text changed\n got: %q\nwant: %q\nhtml: %q\nentities: %v", got, want, out, entities)
	}
	// Text is escaped, so any "<" other than <br> comes from a formatting tag.
	if hasTags := strings.Contains(strings.ReplaceAll(out, "<br>", ""), "<"); hasTags != changed {
		t.Fatalf("changed=%v but output %q", changed, out)
	}
	return out
}
