package markup

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var seeds = []string{
	"", "plain", "*bold* _it_ ~st~ `code`", "```\nblock\n```", "> quote\n- a\n* b\n1. c",
	"*_nested_*", "a*b*c", "@4915112345678 hi", "<script>", "&amp;", "*unclosed", "``````",
	"привет *мир*", "👍🏽 _x_", "\x00\xff", "> \n> ", "1. \n2.", "~~~", "_*_*_",
}

// allowedTags are the only elements ToHTML may produce.
var allowedTags = map[string]bool{
	"strong": true, "em": true, "del": true, "code": true, "pre": true, "blockquote": true,
	"ul": true, "ol": true, "li": true, "br": true, "a": true,
	"html": true, "head": true, "body": true, // added by the HTML parser, not by ToHTML
}

// FuzzToHTML: any text converts without panicking, the result holds only our tags (user text
// can never inject markup), and the visible text keeps every non-marker character in order.
func FuzzToHTML(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		mention := func(token string) (string, bool) {
			return `<a href="https://matrix.to/#/@wa_` + token + `:x">` + token + `</a>`, len(token) > 3
		}
		out, _ := ToHTML(in, mention)
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatalf("ToHTML(%q) = %q: not parseable: %v", in, out, err)
		}
		var text strings.Builder
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && !allowedTags[n.Data] {
				t.Fatalf("ToHTML(%q) = %q: produced <%s>", in, out, n.Data)
			}
			if n.Type == html.TextNode {
				text.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if strings.ContainsRune("*_~`>-@ \n\r\t.0123456789\x00\x0c", r) {
					return -1
				}
				return r
			}, s)
		}
		if got, want := strip(text.String()), strip(in); got != want {
			t.Fatalf("ToHTML(%q) = %q: visible text %q, want %q", in, out, got, want)
		}
	})
}

// FuzzFromHTML: any HTML converts without panicking, and text converted to HTML and back keeps
// its words.
func FuzzFromHTML(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	for _, s := range []string{"<b>x</b>", "<ol><li><ul><li>deep</li></ul></li></ol>", "<pre><code class=\"language-go\">x</code></pre>", `<a href="https://matrix.to/#/@wa_1:x">p</a>`, "<blockquote><blockquote>q</blockquote></blockquote>", "<table><tr><td>1</td></tr></table>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		_ = FromHTML(context.Background(), in, ghostPill)
		htmlOut, _ := ToHTML(in, nil)
		back := FromHTML(context.Background(), htmlOut, ghostPill).Text
		for _, word := range strings.Fields(strings.Map(func(r rune) rune {
			if strings.ContainsRune("*_~`>-\x00\x0c\r", r) || r == utf8.RuneError {
				return ' '
			}
			return r
		}, in)) {
			if n, ok := strings.CutSuffix(word, "."); ok && allDigits(n) {
				continue // list numbering is rendering ("00." comes back as "0."), not content
			}
			if !strings.Contains(back, word) {
				t.Fatalf("round trip of %q lost %q: html %q, back %q", in, word, htmlOut, back)
			}
		}
	})
}
