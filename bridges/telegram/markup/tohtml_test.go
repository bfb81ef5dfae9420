package markup

import (
	"slices"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/id"
)

type ents = []tg.MessageEntityClass

func bold(off, length int) *tg.MessageEntityBold {
	return &tg.MessageEntityBold{Offset: off, Length: length}
}

func italic(off, length int) *tg.MessageEntityItalic {
	return &tg.MessageEntityItalic{Offset: off, Length: length}
}

func TestToHTML(t *testing.T) {
	const alicePill = `<a href="https://matrix.to/#/@alice:example.org">`
	tests := []struct {
		name     string
		text     string
		entities ents
		want     string
		changed  bool
		mentions []id.UserID
	}{
		{name: "no entities", text: "hello\nworld", want: "hello<br>world"},
		{name: "empty text", text: "", want: ""},
		{name: "escaping", text: `<b>&"'`, want: `&lt;b&gt;&amp;"'`},
		{name: "escaping inside entity", text: "a<b", entities: ents{bold(0, 3)}, want: "<strong>a&lt;b</strong>", changed: true},
		{name: "bold", text: "hello world", entities: ents{bold(0, 5)}, want: "<strong>hello</strong> world", changed: true},
		{name: "emoji before bold", text: "👍 bold", entities: ents{bold(3, 4)}, want: "👍 <strong>bold</strong>", changed: true},
		{name: "emoji inside entity", text: "a👍b c", entities: ents{italic(0, 4)}, want: "<em>a👍b</em> c", changed: true},
		{name: "two emoji between entities", text: "x😀😀y", entities: ents{bold(0, 1), italic(5, 1)}, want: "<strong>x</strong>😀😀<em>y</em>", changed: true},
		{name: "cyrillic", text: "Привет мир", entities: ents{bold(7, 3)}, want: "Привет <strong>мир</strong>", changed: true},
		{name: "entity at end", text: "abc def", entities: ents{&tg.MessageEntityUnderline{Offset: 4, Length: 3}}, want: "abc <u>def</u>", changed: true},
		{name: "whole text", text: "abc", entities: ents{&tg.MessageEntityStrike{Offset: 0, Length: 3}}, want: "<del>abc</del>", changed: true},
		{name: "nested", text: "bold italic", entities: ents{bold(0, 11), italic(5, 6)}, want: "<strong>bold <em>italic</em></strong>", changed: true},
		{name: "nested inner first in list", text: "bold italic", entities: ents{italic(5, 6), bold(0, 11)}, want: "<strong>bold <em>italic</em></strong>", changed: true},
		{name: "overlapping", text: "abcdefgh", entities: ents{bold(0, 5), italic(3, 5)}, want: "<strong>abc<em>de</em></strong><em>fgh</em>", changed: true},
		{name: "overlapping reversed", text: "abcdefgh", entities: ents{italic(3, 5), bold(0, 5)}, want: "<strong>abc<em>de</em></strong><em>fgh</em>", changed: true},
		{name: "identical ranges", text: "abc", entities: ents{italic(0, 3), bold(0, 3)}, want: "<strong><em>abc</em></strong>", changed: true},
		{name: "same kind overlapping merged", text: "abcdef", entities: ents{bold(0, 3), bold(2, 3)}, want: "<strong>abcde</strong>f", changed: true},
		{name: "same kind touching merged", text: "abcdef", entities: ents{bold(0, 3), bold(3, 2)}, want: "<strong>abcde</strong>f", changed: true},
		{name: "offset beyond text", text: "short", entities: ents{bold(100, 5)}, want: "short"},
		{name: "offset at end", text: "short", entities: ents{bold(5, 1)}, want: "short"},
		{name: "negative offset clamped", text: "abcdef", entities: ents{bold(-2, 4)}, want: "<strong>ab</strong>cdef", changed: true},
		{name: "negative offset entirely before", text: "abcdef", entities: ents{bold(-5, 3)}, want: "abcdef"},
		{name: "zero length", text: "abcdef", entities: ents{bold(1, 0)}, want: "abcdef"},
		{name: "negative length", text: "abcdef", entities: ents{bold(3, -2)}, want: "abcdef"},
		{name: "end beyond text clamped", text: "abc", entities: ents{bold(1, 100)}, want: "a<strong>bc</strong>", changed: true},
		{name: "huge values", text: "abc", entities: ents{bold(1, int(^uint(0)>>1)), italic(-int(^uint(0)>>1), 2)}, want: "a<strong>bc</strong>", changed: true},
		{name: "start splits surrogate pair", text: "a👍b", entities: ents{bold(2, 1)}, want: "a<strong>👍</strong>b", changed: true},
		{name: "end splits surrogate pair", text: "a👍b", entities: ents{bold(0, 2)}, want: "<strong>a👍</strong>b", changed: true},
		{name: "both split surrogate pair", text: "👍", entities: ents{bold(1, 0), italic(1, 1)}, want: "<em>👍</em>", changed: true},
		{name: "newline inside entity", text: "a\nb", entities: ents{bold(0, 3)}, want: "<strong>a<br>b</strong>", changed: true},
		{name: "crlf", text: "a\r\nb\rc", entities: ents{bold(0, 1)}, want: "<strong>a</strong><br>b<br>c", changed: true},
		{name: "invalid utf-8 and nul", text: "a\xffb\x00", entities: ents{bold(1, 1)}, want: "a<strong>\uFFFD</strong>b\uFFFD", changed: true},
		{name: "spoiler", text: "secret", entities: ents{&tg.MessageEntitySpoiler{Offset: 0, Length: 6}}, want: "<span data-mx-spoiler>secret</span>", changed: true},
		{name: "code", text: "run ls -l", entities: ents{&tg.MessageEntityCode{Offset: 4, Length: 5}}, want: "run <code>ls -l</code>", changed: true},
		{name: "pre with language", text: "x := 1", entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 6, Language: "go"}}, want: `<pre><code class="language-go">x := 1</code></pre>`, changed: true},
		{name: "pre language sanitized", text: "x", entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 1, Language: `c++"><script>`}}, want: `<pre><code class="language-c++script">x</code></pre>`, changed: true},
		{name: "pre language empty after sanitizing", text: "x", entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 1, Language: `"<>`}}, want: `<pre><code>x</code></pre>`, changed: true},
		{name: "pre keeps newlines and drops code", text: "a\nb\r\nc", entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 7}, &tg.MessageEntityCode{Offset: 0, Length: 3}}, want: "<pre><code>a\nb\nc</code></pre>", changed: true},
		{name: "blockquote", text: "quote\nnext", entities: ents{&tg.MessageEntityBlockquote{Offset: 0, Length: 5}}, want: "<blockquote>quote</blockquote><br>next", changed: true},
		{name: "blockquote opens outside inline", text: "ab\ncd", entities: ents{bold(0, 4), &tg.MessageEntityBlockquote{Offset: 3, Length: 2}}, want: "<strong>ab<br></strong><blockquote><strong>c</strong>d</blockquote>", changed: true},
		{name: "adjacent blockquotes stay separate", text: "abcd", entities: ents{&tg.MessageEntityBlockquote{Offset: 0, Length: 2}, &tg.MessageEntityBlockquote{Offset: 2, Length: 2, Collapsed: true}}, want: "<blockquote>ab</blockquote><blockquote>cd</blockquote>", changed: true},
		{name: "text url", text: "click here", entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 5, URL: "https://example.com/?a=1&b=\"2\""}}, want: `<a href="https://example.com/?a=1&amp;b=&#34;2&#34;">click</a> here`, changed: true},
		{name: "text url tg scheme", text: "me", entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 2, URL: "tg://resolve?domain=durov"}}, want: `<a href="tg://resolve?domain=durov">me</a>`, changed: true},
		{name: "unsafe text url", text: "click", entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 5, URL: "javascript:alert(1)"}}, want: "click"},
		{name: "unsafe text url mixed case", text: "click", entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 5, URL: " JavaScript:alert(1)"}}, want: "click"},
		{name: "text url without scheme", text: "click", entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 5, URL: "//evil.example"}}, want: "click"},
		{name: "data url", text: "click", entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 5, URL: "data:text/html,<script>"}}, want: "click"},
		{name: "url entity", text: "see example.com/x", entities: ents{&tg.MessageEntityURL{Offset: 4, Length: 13}}, want: `see <a href="http://example.com/x">example.com/x</a>`, changed: true},
		{name: "url entity with scheme", text: "https://t.me/x", entities: ents{&tg.MessageEntityURL{Offset: 0, Length: 14}}, want: `<a href="https://t.me/x">https://t.me/x</a>`, changed: true},
		{name: "url entity unsafe scheme", text: "javascript://x%0aalert(1)", entities: ents{&tg.MessageEntityURL{Offset: 0, Length: 25}}, want: "javascript://x%0aalert(1)"},
		{name: "email", text: "mail a@b.co", entities: ents{&tg.MessageEntityEmail{Offset: 5, Length: 6}}, want: `mail <a href="mailto:a@b.co">a@b.co</a>`, changed: true},
		{name: "phone", text: "+1 (555) 123", entities: ents{&tg.MessageEntityPhone{Offset: 0, Length: 12}}, want: `<a href="tel:+1555123">+1 (555) 123</a>`, changed: true},
		{name: "overlapping links keep first", text: "abcdefgh", entities: ents{
			&tg.MessageEntityTextURL{Offset: 0, Length: 5, URL: "https://a.example"},
			&tg.MessageEntityTextURL{Offset: 3, Length: 5, URL: "https://b.example"},
		}, want: `<a href="https://a.example">abcde</a>fgh`, changed: true},
		{name: "link overlapping bold", text: "abcdef", entities: ents{
			&tg.MessageEntityTextURL{Offset: 0, Length: 4, URL: "https://x.example"}, bold(2, 4),
		}, want: `<a href="https://x.example">ab<strong>cd</strong></a><strong>ef</strong>`, changed: true},
		{name: "mention resolved", text: "hi @alice", entities: ents{&tg.MessageEntityMention{Offset: 3, Length: 6}}, want: "hi " + alicePill + "@alice</a>", changed: true, mentions: []id.UserID{"@alice:example.org"}},
		{name: "mention unresolved", text: "hi @bob", entities: ents{&tg.MessageEntityMention{Offset: 3, Length: 4}}, want: "hi @bob"},
		{name: "mention name resolved", text: "Alice, hi", entities: ents{&tg.MessageEntityMentionName{Offset: 0, Length: 5, UserID: 123}}, want: alicePill + "Alice</a>, hi", changed: true, mentions: []id.UserID{"@alice:example.org"}},
		{name: "mention name unresolved", text: "Carol, hi", entities: ents{&tg.MessageEntityMentionName{Offset: 0, Length: 5, UserID: 999}}, want: "Carol, hi"},
		{name: "mention name invalid mxid", text: "X", entities: ents{&tg.MessageEntityMentionName{Offset: 0, Length: 1, UserID: 789}}, want: "X"},
		{name: "input mention name", text: "Bob", entities: ents{&tg.InputMessageEntityMentionName{Offset: 0, Length: 3, UserID: &tg.InputUser{UserID: 456}}}, want: `<a href="https://matrix.to/#/@telegram_456:example.org">Bob</a>`, changed: true, mentions: []id.UserID{"@telegram_456:example.org"}},
		{name: "mentions deduplicated", text: "@alice Alice Bob", entities: ents{
			&tg.MessageEntityMention{Offset: 0, Length: 6},
			&tg.MessageEntityMentionName{Offset: 7, Length: 5, UserID: 123},
			&tg.MessageEntityMentionName{Offset: 13, Length: 3, UserID: 456},
		}, want: alicePill + "@alice</a> " + alicePill + `Alice</a> <a href="https://matrix.to/#/@telegram_456:example.org">Bob</a>`, changed: true,
			mentions: []id.UserID{"@alice:example.org", "@telegram_456:example.org"}},
		{name: "plain text entities", text: "#tag $USD /start 4111 😀", entities: ents{
			&tg.MessageEntityHashtag{Offset: 0, Length: 4},
			&tg.MessageEntityCashtag{Offset: 5, Length: 4},
			&tg.MessageEntityBotCommand{Offset: 10, Length: 6},
			&tg.MessageEntityBankCard{Offset: 17, Length: 4},
			&tg.MessageEntityCustomEmoji{Offset: 22, Length: 2, DocumentID: 42},
			&tg.MessageEntityUnknown{Offset: 0, Length: 3},
		}, want: "#tag $USD /start 4111 😀"},
		{name: "nil entities in list", text: "abc", entities: ents{nil, (*tg.MessageEntityBold)(nil), (*tg.MessageEntityTextURL)(nil), italic(0, 1)}, want: "<em>a</em>bc", changed: true},
		{name: "all styles", text: "abcdefghi", entities: ents{
			bold(0, 9), italic(1, 7), &tg.MessageEntityUnderline{Offset: 2, Length: 5},
			&tg.MessageEntityStrike{Offset: 3, Length: 3}, &tg.MessageEntitySpoiler{Offset: 4, Length: 1},
		}, want: "<strong>a<em>b<u>c<del>d<span data-mx-spoiler>e</span>f</del>g</u>h</em>i</strong>", changed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, mentions := ToHTML(tt.text, tt.entities, testUsers{})
			if got != tt.want {
				t.Errorf("html\n got: %q\nwant: %q", got, tt.want)
			}
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			if !slices.Equal(mentions, tt.mentions) {
				t.Errorf("mentions = %v, want %v", mentions, tt.mentions)
			}
			checkToHTML(t, tt.text, tt.entities, testUsers{})
		})
	}
}

func TestToHTMLNilResolver(t *testing.T) {
	text := "@alice Alice"
	entities := ents{
		&tg.MessageEntityMention{Offset: 0, Length: 6},
		&tg.MessageEntityMentionName{Offset: 7, Length: 5, UserID: 123},
	}
	got, changed, mentions := ToHTML(text, entities, nil)
	if got != text || changed || mentions != nil {
		t.Errorf("ToHTML with nil resolver = %q, %v, %v", got, changed, mentions)
	}
}

func TestToHTMLDoesNotModifyEntities(t *testing.T) {
	entities := ents{italic(3, 5), bold(0, 5), bold(-1, 2)}
	before := make([]string, len(entities))
	for i, e := range entities {
		before[i] = e.String()
	}
	ToHTML("abcdefgh", entities, nil)
	for i, e := range entities {
		if e.String() != before[i] {
			t.Errorf("entity %d modified: %s -> %s", i, before[i], e.String())
		}
	}
}

// TestToHTMLOutputLinear checks that the output grows linearly with the
// number of entities even when thousands of them overlap, which would blow up
// an implementation that nests every entity separately.
func TestToHTMLOutputLinear(t *testing.T) {
	text := strings.Repeat("abcdéфgh😀\n", 4096/11)
	n := utf16Len(text)
	newStyle := []func(off, length int) tg.MessageEntityClass{
		func(o, l int) tg.MessageEntityClass { return bold(o, l) },
		func(o, l int) tg.MessageEntityClass { return italic(o, l) },
		func(o, l int) tg.MessageEntityClass { return &tg.MessageEntityUnderline{Offset: o, Length: l} },
		func(o, l int) tg.MessageEntityClass { return &tg.MessageEntityStrike{Offset: o, Length: l} },
		func(o, l int) tg.MessageEntityClass { return &tg.MessageEntitySpoiler{Offset: o, Length: l} },
		func(o, l int) tg.MessageEntityClass { return &tg.MessageEntityCode{Offset: o, Length: l} },
		func(o, l int) tg.MessageEntityClass {
			return &tg.MessageEntityTextURL{Offset: o, Length: l, URL: "https://example.com/x"}
		},
	}
	staircase := make(ents, 2000)
	for i := range staircase {
		staircase[i] = newStyle[i%len(newStyle)](i%n, 1000)
	}
	for name, entities := range map[string]ents{
		"staircase": staircase,
		"random":    randomEntities(n, 2000, 7),
	} {
		t.Run(name, func(t *testing.T) {
			out := checkToHTML(t, text, entities, fuzzUsers{})
			limit := 8*len(text) + 300*len(entities)
			t.Logf("%d entities: %d bytes of text, %d bytes of HTML", len(entities), len(text), len(out))
			if len(out) > limit {
				t.Errorf("output is %d bytes for %d entities, limit %d", len(out), len(entities), limit)
			}
		})
	}
}
