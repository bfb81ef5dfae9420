package markup

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/id"
)

// ToHTML renders Telegram text and entities as a Matrix formatted_body.
//
// The plain text itself is the Matrix body and is not modified. The returned
// html is always the full rendering of text (HTML-escaped, newlines as <br>
// outside code blocks); changed reports whether any formatting was produced,
// i.e. whether the caller should send html as formatted_body at all. mentions
// lists the distinct Matrix users that got a pill, in order of appearance.
//
// Supported entities: bold, italic, underline, strikethrough, spoiler, inline
// code, pre (with language), blockquote, text URLs (http, https, mailto and tg
// schemes only), URLs, e-mail addresses, phone numbers, and mentions
// (@username and mention-name) that users resolves. Everything else
// (hashtags, cashtags, bot commands, bank cards, custom emoji, dates, unknown
// entities, unresolvable mentions and unsafe links) is rendered as its plain
// text. Pills keep the Telegram text as their link text so that body and
// formatted_body show the same text.
//
// Offsets and lengths are interpreted as UTF-16 code units. Invalid entities
// never cause a panic: negative offsets and ranges past the end of the text are
// clamped, empty or entirely out-of-range entities are dropped, and boundaries
// inside a surrogate pair are widened to the whole character. Overlapping
// entities are split so the output is always well nested, and the work done is
// linear in the number of entities (after sorting).
func ToHTML(text string, entities []tg.MessageEntityClass, users UserResolver) (html string, changed bool, mentions []id.UserID) {
	r := newRenderer(text)
	r.collect(entities, users)
	spans := r.normalize()
	for _, list := range spans {
		changed = changed || len(list) > 0
	}
	return r.render(spans), changed, mentionsOf(spans)
}

// span is one formatting range in UTF-16 units after clamping and snapping.
type span struct {
	start, end int
	kind       kind
	seq        int // index of the source entity, for stable ordering
	href       string
	mention    id.UserID
	lang       string
}

// renderer holds the state of a single ToHTML call.
type renderer struct {
	text string
	// bytePos maps every UTF-16 position 0..n to its byte offset in text, or
	// -1 when the position is between the two halves of a surrogate pair.
	bytePos []int
	n       int
	spans   [numKinds][]span
}

func newRenderer(text string) *renderer {
	pos := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		pos = append(pos, i)
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if runeUTF16Len(r) == 2 {
			pos = append(pos, -1)
		}
		i += size
	}
	pos = append(pos, len(text))
	return &renderer{text: text, bytePos: pos, n: len(pos) - 1}
}

// clamp converts a raw (offset, length) pair into a valid, non-empty UTF-16
// range that does not split a surrogate pair.
func (r *renderer) clamp(offset, length int) (start, end int, ok bool) {
	if length <= 0 || offset >= r.n {
		return 0, 0, false
	}
	if offset < 0 {
		// offset < 0 < length, so the sum cannot overflow.
		end = offset + length
		start = 0
	} else {
		start = offset
		if length > r.n-offset {
			end = r.n
		} else {
			end = offset + length
		}
	}
	if end > r.n {
		end = r.n
	}
	if end <= start {
		return 0, 0, false
	}
	if r.bytePos[start] < 0 {
		start--
	}
	if r.bytePos[end] < 0 {
		end++
	}
	return start, end, true
}

// slice returns the text covered by a snapped UTF-16 range.
func (r *renderer) slice(start, end int) string {
	return r.text[r.bytePos[start]:r.bytePos[end]]
}

// collect converts entities into spans, grouped by kind.
func (r *renderer) collect(entities []tg.MessageEntityClass, users UserResolver) {
	for seq, ent := range entities {
		var (
			k              kind
			offset, length int
			sp             span
			resolve        func(covered string) bool
		)
		switch e := ent.(type) {
		case *tg.MessageEntityBold:
			if e == nil {
				continue
			}
			k, offset, length = kindBold, e.Offset, e.Length
		case *tg.MessageEntityItalic:
			if e == nil {
				continue
			}
			k, offset, length = kindItalic, e.Offset, e.Length
		case *tg.MessageEntityUnderline:
			if e == nil {
				continue
			}
			k, offset, length = kindUnderline, e.Offset, e.Length
		case *tg.MessageEntityStrike:
			if e == nil {
				continue
			}
			k, offset, length = kindStrike, e.Offset, e.Length
		case *tg.MessageEntitySpoiler:
			if e == nil {
				continue
			}
			k, offset, length = kindSpoiler, e.Offset, e.Length
		case *tg.MessageEntityCode:
			if e == nil {
				continue
			}
			k, offset, length = kindCode, e.Offset, e.Length
		case *tg.MessageEntityPre:
			if e == nil {
				continue
			}
			k, offset, length = kindPre, e.Offset, e.Length
			sp.lang = sanitizeLanguage(e.Language)
		case *tg.MessageEntityBlockquote:
			if e == nil {
				continue
			}
			k, offset, length = kindBlockquote, e.Offset, e.Length
		case *tg.MessageEntityTextURL:
			if e == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			href, ok := safeLinkURL(e.URL)
			if !ok {
				continue
			}
			sp.href = href
		case *tg.MessageEntityURL:
			if e == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			resolve = func(covered string) bool {
				target := strings.TrimSpace(covered)
				if !strings.Contains(target, "://") {
					target = "http://" + target
				}
				var ok bool
				sp.href, ok = safeLinkURL(target)
				return ok
			}
		case *tg.MessageEntityEmail:
			if e == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			resolve = func(covered string) bool {
				addr := strings.TrimSpace(covered)
				if !strings.Contains(addr, "@") || strings.ContainsAny(addr, " \t\n\r?#") {
					return false
				}
				var ok bool
				sp.href, ok = safeLinkURL("mailto:" + addr)
				return ok
			}
		case *tg.MessageEntityPhone:
			if e == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			resolve = func(covered string) bool {
				number := phoneNumber(covered)
				if number == "" {
					return false
				}
				sp.href = "tel:" + number
				return true
			}
		case *tg.MessageEntityMention:
			if e == nil || users == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			resolve = func(covered string) bool {
				username, found := strings.CutPrefix(strings.TrimSpace(covered), "@")
				if !found || username == "" {
					return false
				}
				mxid, _, ok := users.MatrixUserByUsername(username)
				return sp.setMention(mxid, ok)
			}
		case *tg.MessageEntityMentionName:
			if e == nil || users == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			mxid, _, ok := users.MatrixUser(e.UserID)
			if !sp.setMention(mxid, ok) {
				continue
			}
		case *tg.InputMessageEntityMentionName:
			if e == nil || users == nil {
				continue
			}
			input, isUser := e.UserID.(*tg.InputUser)
			if !isUser || input == nil {
				continue
			}
			k, offset, length = kindLink, e.Offset, e.Length
			mxid, _, ok := users.MatrixUser(input.UserID)
			if !sp.setMention(mxid, ok) {
				continue
			}
		default:
			// Hashtags, cashtags, bot commands, bank cards, custom emoji,
			// formatted dates, diff markers and unknown entities are kept as
			// plain text.
			continue
		}
		start, end, ok := r.clamp(offset, length)
		if !ok {
			continue
		}
		if resolve != nil && !resolve(r.slice(start, end)) {
			continue
		}
		sp.start, sp.end, sp.kind, sp.seq = start, end, k, seq
		r.spans[k] = append(r.spans[k], sp)
	}
}

// setMention turns sp into a user pill if the resolver found a valid user.
func (sp *span) setMention(mxid id.UserID, ok bool) bool {
	if !ok || len(mxid) < 2 || mxid[0] != '@' {
		return false
	}
	sp.mention = mxid
	sp.href = mxid.URI().MatrixToURL()
	return true
}

// normalize makes the spans of every kind disjoint and sorted, so that at any
// position at most one element of each kind is open. Plain styles are merged
// when they overlap or touch, blockquotes only when they overlap, and links
// and code blocks (which cannot be merged because they carry data) are made
// exclusive: the first one wins and later overlapping ones are dropped.
func (r *renderer) normalize() [numKinds][]span {
	var out [numKinds][]span
	for k := range numKinds {
		list := r.spans[k]
		if len(list) == 0 {
			continue
		}
		slices.SortFunc(list, func(a, b span) int {
			if a.start != b.start {
				return a.start - b.start
			}
			if a.end != b.end {
				return b.end - a.end
			}
			return a.seq - b.seq
		})
		merged := list[:1]
		for _, sp := range list[1:] {
			last := &merged[len(merged)-1]
			switch {
			case sp.start >= last.end && !(sp.start == last.end && kind(k).mergesTouching()):
				merged = append(merged, sp)
			case kind(k).mergeable():
				last.end = max(last.end, sp.end)
			default:
				// Overlapping link or pre: keep the earlier one.
			}
		}
		out[k] = merged
	}
	return out
}

func (k kind) mergeable() bool { return k != kindLink && k != kindPre }

func (k kind) mergesTouching() bool { return k.mergeable() && k != kindBlockquote }

// mentionsOf lists the distinct pill targets in order of appearance.
func mentionsOf(spans [numKinds][]span) []id.UserID {
	var mentions []id.UserID
	for _, sp := range spans[kindLink] {
		if sp.mention != "" && !slices.Contains(mentions, sp.mention) {
			mentions = append(mentions, sp.mention)
		}
	}
	return mentions
}

// render walks all span boundaries once and keeps a stack of open elements.
// At every boundary the elements that must close (and everything opened after
// them) are closed, then everything still wanted is (re)opened, ordered so that
// block elements enclose inline ones and longer-lasting elements enclose
// shorter ones. Because spans of one kind are disjoint, the stack never holds
// more than numKinds elements, which bounds the work per boundary.
func (r *renderer) render(spans [numKinds][]span) string {
	bounds := make([]int, 0, 2)
	bounds = append(bounds, 0, r.n)
	for k := range numKinds {
		for _, sp := range spans[k] {
			bounds = append(bounds, sp.start, sp.end)
		}
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)

	var out strings.Builder
	out.Grow(len(r.text) + len(r.text)/8 + 32)
	var (
		next    [numKinds]int
		want    [numKinds]*span
		open    [numKinds]*span
		stack   = make([]*span, 0, numKinds)
		pending = make([]*span, 0, numKinds)
	)
	for bi := 0; bi+1 < len(bounds); bi++ {
		p, q := bounds[bi], bounds[bi+1]
		for k := range numKinds {
			list := spans[k]
			for next[k] < len(list) && list[next[k]].end <= p {
				next[k]++
			}
			want[k] = nil
			if next[k] < len(list) && list[next[k]].start <= p {
				want[k] = &list[next[k]]
			}
		}
		if want[kindPre] != nil {
			// Code blocks are already monospace.
			want[kindCode] = nil
		}

		minNewLevel := numKinds.level() + 1
		for k := range numKinds {
			if want[k] != nil && open[k] != want[k] {
				minNewLevel = min(minNewLevel, kind(k).level())
			}
		}
		cut := len(stack)
		for i, el := range stack {
			if want[el.kind] != el || el.kind.level() > minNewLevel {
				cut = i
				break
			}
		}
		for len(stack) > cut {
			el := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			open[el.kind] = nil
			writeClose(&out, el)
		}

		pending = pending[:0]
		for k := range numKinds {
			if want[k] != nil && open[k] == nil {
				pending = append(pending, want[k])
			}
		}
		slices.SortFunc(pending, func(a, b *span) int {
			if a.kind.level() != b.kind.level() {
				return a.kind.level() - b.kind.level()
			}
			if a.end != b.end {
				return b.end - a.end
			}
			return int(a.kind) - int(b.kind)
		})
		for _, el := range pending {
			stack = append(stack, el)
			open[el.kind] = el
			writeOpen(&out, el)
		}
		r.writeText(&out, r.bytePos[p], r.bytePos[q], open[kindPre] != nil)
	}
	for i := len(stack) - 1; i >= 0; i-- {
		writeClose(&out, stack[i])
	}
	return out.String()
}

func writeOpen(out *strings.Builder, sp *span) {
	switch sp.kind {
	case kindBlockquote:
		out.WriteString("<blockquote>")
	case kindPre:
		if sp.lang != "" {
			out.WriteString(`<pre><code class="language-`)
			out.WriteString(sp.lang)
			out.WriteString(`">`)
		} else {
			out.WriteString("<pre><code>")
		}
	case kindLink:
		out.WriteString(`<a href="`)
		writeEscaped(out, sp.href)
		out.WriteString(`">`)
	case kindBold:
		out.WriteString("<strong>")
	case kindItalic:
		out.WriteString("<em>")
	case kindUnderline:
		out.WriteString("<u>")
	case kindStrike:
		out.WriteString("<del>")
	case kindSpoiler:
		out.WriteString("<span data-mx-spoiler>")
	case kindCode:
		out.WriteString("<code>")
	}
}

func writeClose(out *strings.Builder, sp *span) {
	switch sp.kind {
	case kindBlockquote:
		out.WriteString("</blockquote>")
	case kindPre:
		out.WriteString("</code></pre>")
	case kindLink:
		out.WriteString("</a>")
	case kindBold:
		out.WriteString("</strong>")
	case kindItalic:
		out.WriteString("</em>")
	case kindUnderline:
		out.WriteString("</u>")
	case kindStrike:
		out.WriteString("</del>")
	case kindSpoiler:
		out.WriteString("</span>")
	case kindCode:
		out.WriteString("</code>")
	}
}

// writeText writes text[from:to] HTML-escaped. Outside code blocks newlines
// become <br>; CRLF and lone CR count as one newline. NUL and invalid UTF-8
// bytes are replaced with U+FFFD so the output is always valid UTF-8 that
// parses back to the same characters.
func (r *renderer) writeText(out *strings.Builder, from, to int, pre bool) {
	s := r.text
	chunk := from
	flush := func(i int) {
		out.WriteString(s[chunk:i])
	}
	for i := from; i < to; {
		c := s[i]
		var repl string
		size := 1
		switch {
		case c == '<':
			repl = "&lt;"
		case c == '>':
			repl = "&gt;"
		case c == '&':
			repl = "&amp;"
		case c == 0:
			repl = "\uFFFD"
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				repl = "" // the following \n produces the line break
			} else if pre {
				repl = "\n"
			} else {
				repl = "<br>"
			}
		case c == '\n':
			if pre {
				i++
				continue
			}
			repl = "<br>"
		case c < utf8.RuneSelf:
			i++
			continue
		default:
			var rn rune
			rn, size = utf8.DecodeRuneInString(s[i:])
			if rn != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			repl = "\uFFFD"
		}
		flush(i)
		out.WriteString(repl)
		i += size
		chunk = i
	}
	flush(to)
}

// writeEscaped writes s escaped for use inside a double-quoted attribute.
func writeEscaped(out *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		case '&':
			repl = "&amp;"
		case '"':
			repl = "&#34;"
		case '\'':
			repl = "&#39;"
		default:
			continue
		}
		out.WriteString(s[last:i])
		out.WriteString(repl)
		last = i + 1
	}
	out.WriteString(s[last:])
}

// sanitizeLanguage keeps only [A-Za-z0-9+#_-] from a code block language so it
// can be embedded in a class attribute.
func sanitizeLanguage(lang string) string {
	var b strings.Builder
	for _, c := range []byte(lang) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '+', c == '#', c == '_', c == '-':
			b.WriteByte(c)
		}
	}
	return b.String()
}

// safeLinkURL reports whether raw is an absolute URL with an allowed scheme
// (http, https, mailto or tg) and returns it trimmed.
func safeLinkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || !utf8.ValidString(raw) {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", false
		}
	case "mailto", "tg":
		if u.Opaque == "" && u.Host == "" && u.Path == "" {
			return "", false
		}
	default:
		return "", false
	}
	return raw, true
}

// phoneNumber extracts a dialable number ("+" and digits) from phone text.
func phoneNumber(s string) string {
	var b strings.Builder
	digits := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
			digits++
		case c == '+' && b.Len() == 0:
			b.WriteRune(c)
		}
	}
	if digits == 0 {
		return ""
	}
	return b.String()
}
