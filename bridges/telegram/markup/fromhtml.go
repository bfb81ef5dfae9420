package markup

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gotd/td/tg"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"maunium.net/go/mautrix/id"
)

// FromHTML converts a Matrix formatted_body into Telegram text and entities.
//
// Supported markup: strong/b, em/i, u/ins, del/s/strike, inline code,
// pre (a language-X class on the inner code element becomes the Pre
// language), links, span data-mx-spoiler, blockquote, br, paragraphs and other
// block elements (separated by newlines), ordered and unordered lists
// ("1. item" / "• item" lines, nested lists indented), headings (a bold line)
// and custom emoticons (img data-mx-emoticon, rendered as their alt text).
// mx-reply fallbacks, scripts and styles are dropped entirely.
//
// Mention pills (matrix.to or matrix: user links) become
// *tg.MessageEntityMentionName when users resolves the Matrix user to a
// Telegram user; otherwise only their text is kept. The caller must convert
// MentionName entities into *tg.InputMessageEntityMentionName before sending.
// Other http, https, mailto and tg links become *tg.MessageEntityTextURL when
// the link text differs from the URL, and plain text otherwise (Telegram
// detects bare URLs itself). Links with other schemes keep only their text.
//
// Whitespace outside pre is collapsed as in HTML rendering, and the whole
// text is trimmed. Offsets and lengths are in UTF-16 code units, every entity
// has a positive length and lies within the text, and entities are sorted by
// offset (outer entities first when several start at the same offset).
func FromHTML(htmlBody string, users UserResolver) (text string, entities []tg.MessageEntityClass) {
	nodes, err := html.ParseFragment(strings.NewReader(htmlBody), &html.Node{
		Type:     html.ElementNode,
		Data:     "body",
		DataAtom: atom.Body,
	})
	if err != nil {
		// Parsing from a strings.Reader cannot fail in practice; fall back to
		// the raw input as plain text.
		return strings.TrimSpace(strings.ToValidUTF8(htmlBody, "\uFFFD")), nil
	}
	c := &htmlConverter{users: users}
	for _, n := range nodes {
		c.node(n)
	}
	return c.finish()
}

// pendingEntity is an entity under construction, before trimming.
type pendingEntity struct {
	kind           kind
	offset, length int
	seq            int
	url            string
	lang           string
	userID         int64
}

// htmlConverter holds the state of a single FromHTML call.
type htmlConverter struct {
	users    UserResolver
	buf      strings.Builder
	u16      int  // UTF-16 length of buf
	last     rune // last rune written, 0 if none
	space    bool // a collapsed space is pending
	lineMark int  // u16 position after a list bullet; no block break there
	brMark   int  // u16 position after a block's closing line break
	depth    [numKinds]int
	lists    int
	seq      int
	entities []pendingEntity
}

// writeRune appends r, replacing NUL and invalid runes with U+FFFD.
func (c *htmlConverter) writeRune(r rune) {
	if r == 0 || r == utf8.RuneError || !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	c.buf.WriteRune(r)
	c.u16 += runeUTF16Len(r)
	c.last = r
}

// flushSpace writes a pending collapsed space.
func (c *htmlConverter) flushSpace() {
	if c.space {
		c.space = false
		c.writeRune(' ')
	}
}

// writeText appends text. Outside pre, runs of HTML whitespace collapse to a
// single space, which is only written once more text follows on the same line.
func (c *htmlConverter) writeText(s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			if c.last != 0 && !isSpace(c.last) {
				c.space = true
			}
			continue
		}
		c.flushSpace()
		c.writeRune(r)
	}
}

// writeRaw appends text verbatim (used for code blocks). CRLF and CR become
// LF.
func (c *htmlConverter) writeRaw(s string) {
	c.flushSpace()
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\r' {
			if i < len(s) && s[i] == '\n' {
				continue
			}
			r = '\n'
		}
		c.writeRune(r)
	}
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// br writes a hard line break. A <br> directly after a block element is
// absorbed by the line break that already ends the block: ToHTML renders the
// newline after a blockquote or code block as such a <br>.
func (c *htmlConverter) br() {
	c.space = false
	if c.brMark > 0 && c.u16 == c.brMark {
		c.brMark = 0
		return
	}
	c.writeRune('\n')
}

// blockBreak makes sure the following content starts on a new line.
func (c *htmlConverter) blockBreak() {
	c.space = false
	if c.u16 == 0 || c.last == '\n' || (c.lineMark > 0 && c.u16 == c.lineMark) {
		return
	}
	c.writeRune('\n')
}

// endBlock ends a block element: the following content starts on a new line,
// and a <br> right after the block does not add another one.
func (c *htmlConverter) endBlock() {
	before := c.u16
	c.blockBreak()
	if c.u16 != before {
		c.brMark = c.u16
	}
}

func (c *htmlConverter) children(n *html.Node) {
	for child := n.FirstChild; child != nil; child = child.NextSibling {
		c.node(child)
	}
}

func (c *htmlConverter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		c.writeText(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		c.children(n)
		return
	default:
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Head, atom.Title,
		atom.Noscript, atom.Iframe, atom.Object, atom.Textarea, atom.Select:
		return
	case atom.Br:
		c.br()
	case atom.Strong, atom.B:
		c.styled(n, kindBold, pendingEntity{})
	case atom.Em, atom.I:
		c.styled(n, kindItalic, pendingEntity{})
	case atom.U, atom.Ins:
		c.styled(n, kindUnderline, pendingEntity{})
	case atom.Del, atom.S, atom.Strike:
		c.styled(n, kindStrike, pendingEntity{})
	case atom.Code:
		c.styled(n, kindCode, pendingEntity{})
	case atom.Span:
		if hasAttr(n, "data-mx-spoiler") {
			c.styled(n, kindSpoiler, pendingEntity{})
		} else {
			c.children(n)
		}
	case atom.A:
		c.link(n)
	case atom.Blockquote:
		c.blockBreak()
		c.styled(n, kindBlockquote, pendingEntity{})
		c.endBlock()
	case atom.Pre:
		c.pre(n)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.blockBreak()
		c.styled(n, kindBold, pendingEntity{})
		c.endBlock()
	case atom.Ul, atom.Ol:
		c.list(n)
	case atom.Li:
		// A list item outside a list.
		c.listItem(n, "•")
	case atom.Img:
		if alt, ok := attr(n, "alt"); ok {
			c.writeText(alt)
		} else if title, ok := attr(n, "title"); ok && hasAttr(n, "data-mx-emoticon") {
			c.writeText(title)
		}
	case atom.Hr:
		c.blockBreak()
		c.writeText("---")
		c.endBlock()
	case atom.Td, atom.Th:
		c.children(n)
		if c.last != 0 && !isSpace(c.last) {
			c.space = true
		}
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Nav, atom.Aside, atom.Main, atom.Figure, atom.Figcaption,
		atom.Details, atom.Summary, atom.Dl, atom.Dt, atom.Dd, atom.Address,
		atom.Center, atom.Table, atom.Caption, atom.Thead, atom.Tbody,
		atom.Tfoot, atom.Tr, atom.Fieldset, atom.Form, atom.Legend:
		c.blockBreak()
		c.children(n)
		c.endBlock()
	default:
		if n.Data == "mx-reply" {
			return
		}
		c.children(n)
	}
}

// styled renders the children of n and records an entity of kind k over them,
// unless an element of the same kind is already open (Telegram does not allow
// nesting an entity in another one of the same type).
func (c *htmlConverter) styled(n *html.Node, k kind, ent pendingEntity) {
	c.flushSpace()
	start := c.u16
	seq := c.nextSeq()
	c.depth[k]++
	c.children(n)
	c.depth[k]--
	if c.depth[k] == 0 {
		ent.kind, ent.seq = k, seq
		c.addEntity(ent, start)
	}
}

func (c *htmlConverter) nextSeq() int {
	c.seq++
	return c.seq
}

// addEntity records ent from start to the current position, excluding
// trailing line breaks (which usually come from nested block elements), if
// anything remains.
func (c *htmlConverter) addEntity(ent pendingEntity, start int) {
	end := c.u16
	written := c.buf.String()
	for i := len(written) - 1; end > start && i >= 0 && written[i] == '\n'; i-- {
		end--
	}
	if end <= start {
		return
	}
	ent.offset, ent.length = start, end-start
	c.entities = append(c.entities, ent)
}

// link handles <a>: user pills, safe links and everything else.
func (c *htmlConverter) link(n *html.Node) {
	href, _ := attr(n, "href")
	href = strings.TrimSpace(href)
	if c.depth[kindLink] > 0 {
		c.children(n)
		return
	}
	if mxid := pillTarget(href); mxid != "" {
		if c.users == nil {
			c.children(n)
			return
		}
		if userID, ok := c.users.TelegramUser(mxid); ok {
			c.flushSpace()
			start := c.u16
			seq := c.nextSeq()
			c.depth[kindLink]++
			c.children(n)
			c.depth[kindLink]--
			if c.u16 == start {
				// Empty pill: use the display name (or the Matrix ID).
				name := ""
				if _, displayName, ok := c.users.MatrixUser(userID); ok {
					name = displayName
				}
				if strings.TrimSpace(name) == "" {
					name = string(mxid)
				}
				c.writeText(name)
			}
			c.addEntity(pendingEntity{kind: kindLink, seq: seq, userID: userID}, start)
			return
		}
		c.children(n)
		return
	}
	target, ok := safeLinkURL(href)
	if !ok {
		c.children(n)
		return
	}
	c.flushSpace()
	start, startByte := c.u16, c.buf.Len()
	seq := c.nextSeq()
	c.depth[kindLink]++
	c.children(n)
	c.depth[kindLink]--
	if sameLink(c.buf.String()[startByte:], target) {
		return
	}
	c.addEntity(pendingEntity{kind: kindLink, seq: seq, url: target}, start)
}

// pillTarget returns the Matrix user a matrix.to or matrix: URI points at.
func pillTarget(href string) id.UserID {
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	var uri *id.MatrixURI
	switch strings.ToLower(u.Scheme) {
	case "matrix":
		uri, err = id.ProcessMatrixURI(u)
	case "https", "http":
		if !strings.EqualFold(u.Hostname(), "matrix.to") {
			return ""
		}
		uri, err = id.ProcessMatrixToURL(u)
	default:
		return ""
	}
	if err != nil {
		return ""
	}
	return uri.UserID()
}

// sameLink reports whether the visible link text already is the link target,
// in which case Telegram's own URL detection is enough.
func sameLink(text, target string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return true
	}
	if text == target || text+"/" == target {
		return true
	}
	lower := strings.ToLower(target)
	for _, prefix := range []string{"mailto:", "http://", "https://"} {
		if strings.HasPrefix(lower, prefix) {
			rest := target[len(prefix):]
			return text == rest || text+"/" == rest
		}
	}
	return false
}

// pre renders a code block as a single Pre entity. Nested markup inside the
// code block is flattened to its text.
func (c *htmlConverter) pre(n *html.Node) {
	c.blockBreak()
	lang := ""
	var content strings.Builder
	var collect func(*html.Node)
	collect = func(n *html.Node) {
		for child := n.FirstChild; child != nil; child = child.NextSibling {
			switch {
			case child.Type == html.TextNode:
				content.WriteString(child.Data)
			case child.Type != html.ElementNode:
			case child.DataAtom == atom.Br:
				content.WriteByte('\n')
			case child.DataAtom == atom.Script, child.DataAtom == atom.Style,
				child.DataAtom == atom.Template, child.Data == "mx-reply":
			default:
				if child.DataAtom == atom.Code && lang == "" {
					lang = codeLanguage(child)
				}
				collect(child)
			}
		}
	}
	collect(n)
	code := strings.TrimSuffix(content.String(), "\n")
	start := c.u16
	c.writeRaw(code)
	if c.depth[kindPre] == 0 && c.depth[kindCode] == 0 {
		c.addEntity(pendingEntity{kind: kindPre, seq: c.nextSeq(), lang: lang}, start)
	}
	c.endBlock()
}

// codeLanguage extracts X from a class="language-X" attribute.
func codeLanguage(n *html.Node) string {
	class, _ := attr(n, "class")
	for _, cls := range strings.Fields(class) {
		if lang, ok := strings.CutPrefix(cls, "language-"); ok {
			if lang = sanitizeLanguage(lang); lang != "" {
				return lang
			}
		}
	}
	return ""
}

// list renders <ul> and <ol> items as bulleted or numbered lines.
func (c *htmlConverter) list(n *html.Node) {
	c.blockBreak()
	c.lists++
	ordered := n.DataAtom == atom.Ol
	number := 1
	if startAttr, ok := attr(n, "start"); ok && ordered {
		if v, err := strconv.Atoi(strings.TrimSpace(startAttr)); err == nil && v >= 0 && v < 1_000_000_000 {
			number = v
		}
	}
	for child := n.FirstChild; child != nil; child = child.NextSibling {
		if child.Type == html.ElementNode && child.DataAtom == atom.Li {
			bullet := "•"
			if ordered {
				bullet = strconv.Itoa(number) + "."
				number++
			}
			c.listItem(child, bullet)
		} else {
			c.node(child)
		}
	}
	c.lists--
	c.endBlock()
}

// listItem writes one list line: indentation, bullet and the item content.
func (c *htmlConverter) listItem(n *html.Node, bullet string) {
	c.blockBreak()
	for range max(c.lists-1, 0) {
		c.writeRune(' ')
		c.writeRune(' ')
	}
	for _, r := range bullet {
		c.writeRune(r)
	}
	c.writeRune(' ')
	c.lineMark = c.u16
	c.children(n)
	c.lineMark = 0 // an empty item still ends its line
	c.endBlock()
}

// finish trims the text and converts pending entities into Telegram entities.
func (c *htmlConverter) finish() (string, []tg.MessageEntityClass) {
	full := c.buf.String()
	text := strings.TrimRightFunc(full, unicode.IsSpace)
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	shift := utf16Len(text[:len(text)-len(trimmed)])
	length := utf16Len(trimmed)

	slices.SortStableFunc(c.entities, func(a, b pendingEntity) int {
		if a.offset != b.offset {
			return a.offset - b.offset
		}
		if a.length != b.length {
			return b.length - a.length
		}
		return a.seq - b.seq
	})
	var entities []tg.MessageEntityClass
	for _, ent := range c.entities {
		start := max(ent.offset-shift, 0)
		end := min(ent.offset+ent.length-shift, length)
		if end <= start {
			continue
		}
		offset, size := start, end-start
		var out tg.MessageEntityClass
		switch ent.kind {
		case kindBold:
			out = &tg.MessageEntityBold{Offset: offset, Length: size}
		case kindItalic:
			out = &tg.MessageEntityItalic{Offset: offset, Length: size}
		case kindUnderline:
			out = &tg.MessageEntityUnderline{Offset: offset, Length: size}
		case kindStrike:
			out = &tg.MessageEntityStrike{Offset: offset, Length: size}
		case kindSpoiler:
			out = &tg.MessageEntitySpoiler{Offset: offset, Length: size}
		case kindCode:
			out = &tg.MessageEntityCode{Offset: offset, Length: size}
		case kindPre:
			out = &tg.MessageEntityPre{Offset: offset, Length: size, Language: ent.lang}
		case kindBlockquote:
			out = &tg.MessageEntityBlockquote{Offset: offset, Length: size}
		case kindLink:
			if ent.url != "" {
				out = &tg.MessageEntityTextURL{Offset: offset, Length: size, URL: ent.url}
			} else {
				out = &tg.MessageEntityMentionName{Offset: offset, Length: size, UserID: ent.userID}
			}
		default:
			continue
		}
		entities = append(entities, out)
	}
	// Entities were sorted before clamping; clamping only moves offsets that
	// fall into the trimmed prefix to 0, which keeps the order.
	return trimmed, entities
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attr(n, key)
	return ok
}
