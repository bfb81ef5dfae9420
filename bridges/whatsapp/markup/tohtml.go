package markup

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// MentionFunc resolves a mention token (the digits after @) to the HTML that should replace
// "@token", typically a Matrix pill. ok=false leaves the text as it is.
type MentionFunc func(token string) (htmlOut string, ok bool)

// ToHTML converts WhatsApp-formatted text to Matrix HTML. changed is false when the text has no
// formatting and no resolved mention, in which case the plain body alone should be sent.
func ToHTML(text string, mention MentionFunc) (out string, changed bool) {
	var b strings.Builder
	segments := splitCodeBlocks(text)
	for _, seg := range segments {
		if seg.code {
			b.WriteString("<pre><code>")
			b.WriteString(html.EscapeString(seg.text))
			b.WriteString("</code></pre>")
			changed = true
			continue
		}
		if blocks(&b, seg.text, mention) {
			changed = true
		}
	}
	if !changed {
		return html.EscapeString(text), false
	}
	return b.String(), true
}

type segment struct {
	text string
	code bool
}

// splitCodeBlocks separates ```code blocks``` (which take no other formatting) from the rest.
func splitCodeBlocks(text string) []segment {
	var out []segment
	for {
		start := strings.Index(text, "```")
		if start < 0 {
			break
		}
		end := strings.Index(text[start+3:], "```")
		if end < 0 || end == 0 {
			break
		}
		if start > 0 {
			out = append(out, segment{text: text[:start]})
		}
		code := text[start+3 : start+3+end]
		out = append(out, segment{text: strings.TrimPrefix(code, "\n"), code: true})
		text = text[start+3+end+3:]
	}
	if text != "" {
		out = append(out, segment{text: text})
	}
	return out
}

// lineKind is the block a line belongs to.
type lineKind int

const (
	plainLine lineKind = iota
	quoteLine
	bulletLine
	numberLine
)

func classify(line string) (lineKind, string) {
	switch {
	case strings.HasPrefix(line, "> "):
		return quoteLine, line[2:]
	case strings.HasPrefix(line, "* "), strings.HasPrefix(line, "- "):
		return bulletLine, line[2:]
	}
	if i := strings.Index(line, ". "); i > 0 && i <= 3 && allDigits(line[:i]) {
		return numberLine, line[i+2:]
	}
	return plainLine, line
}

// listStart is the number a numbered-list line starts with ("7. x" → 7).
func listStart(line string) int {
	n, _ := strconv.Atoi(line[:max(strings.Index(line, ". "), 0)])
	return n
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// blockTags are the HTML containers of each kind of marked-up line; items says whether every
// line is wrapped in <li>.
var blockTags = map[lineKind]struct {
	open, close string
	items       bool
}{
	quoteLine:  {"<blockquote>", "</blockquote>", false},
	bulletLine: {"<ul>", "</ul>", true},
	numberLine: {"<ol>", "</ol>", true},
}

// blocks renders the lines of a non-code segment, grouping quotes and list items.
func blocks(b *strings.Builder, text string, mention MentionFunc) (changed bool) {
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); {
		kind, _ := classify(lines[i])
		if kind == plainLine {
			if i > 0 {
				b.WriteString("<br>")
			}
			if inline(b, lines[i], mention) {
				changed = true
			}
			i++
			continue
		}
		changed = true
		tags := blockTags[kind]
		if n := listStart(lines[i]); kind == numberLine && n != 1 {
			fmt.Fprintf(b, `<ol start="%d">`, n)
		} else {
			b.WriteString(tags.open)
		}
		for first := true; i < len(lines); i, first = i+1, false {
			k, content := classify(lines[i])
			if k != kind {
				break
			}
			switch {
			case tags.items:
				b.WriteString("<li>")
			case !first:
				b.WriteString("<br>")
			}
			inline(b, content, mention)
			if tags.items {
				b.WriteString("</li>")
			}
		}
		b.WriteString(tags.close)
	}
	return changed
}
