package markup

import (
	"reflect"
	"testing"

	"github.com/gotd/td/tg"
)

func TestFromHTML(t *testing.T) {
	tests := []struct {
		name     string
		html     string
		text     string
		entities ents
	}{
		{name: "plain", html: "hello", text: "hello"},
		{name: "empty", html: "", text: ""},
		{name: "entities decoded", html: "a &lt;b&gt; &amp; &quot;c&quot;", text: `a <b> & "c"`},
		{name: "bold", html: "<strong>bold</strong> text", text: "bold text", entities: ents{bold(0, 4)}},
		{name: "all inline styles", html: "<b>b</b><i>i</i><u>u</u><del>d</del><s>s</s><strike>k</strike><ins>n</ins><em>e</em><code>c</code><span data-mx-spoiler>p</span>",
			text: "biudskne" + "cp", entities: ents{
				bold(0, 1), italic(1, 1), &tg.MessageEntityUnderline{Offset: 2, Length: 1},
				&tg.MessageEntityStrike{Offset: 3, Length: 1}, &tg.MessageEntityStrike{Offset: 4, Length: 1},
				&tg.MessageEntityStrike{Offset: 5, Length: 1}, &tg.MessageEntityUnderline{Offset: 6, Length: 1},
				italic(7, 1), &tg.MessageEntityCode{Offset: 8, Length: 1}, &tg.MessageEntitySpoiler{Offset: 9, Length: 1},
			}},
		{name: "emoji before bold", html: "👍 <b>bold</b>", text: "👍 bold", entities: ents{bold(3, 4)}},
		{name: "emoji inside bold", html: "<b>a😀b</b> <i>c</i>", text: "a😀b c", entities: ents{bold(0, 4), italic(5, 1)}},
		{name: "cyrillic", html: "Привет <em>мир</em>", text: "Привет мир", entities: ents{italic(7, 3)}},
		{name: "nested", html: "<b>bold <i>both</i></b>", text: "bold both", entities: ents{bold(0, 9), italic(5, 4)}},
		{name: "same range outer first", html: "<i><b>x</b></i>", text: "x", entities: ents{italic(0, 1), bold(0, 1)}},
		{name: "same kind nested once", html: "<b>a<strong>b</strong>c</b>", text: "abc", entities: ents{bold(0, 3)}},
		{name: "misnested tags", html: "<b>ab<i>cd</b>ef</i>", text: "abcdef", entities: ents{bold(0, 4), italic(2, 2), italic(4, 2)}},
		{name: "whitespace collapsed", html: "a  \n\t b<b> c </b> d", text: "a b c d", entities: ents{bold(3, 2)}},
		{name: "space before element stays outside", html: "a <b>b</b>", text: "a b", entities: ents{bold(2, 1)}},
		{name: "whitespace trimmed", html: "  <b> x </b>  ", text: "x", entities: ents{bold(0, 1)}},
		{name: "leading newlines shift entities", html: "<br><br><b>x</b>", text: "x", entities: ents{bold(0, 1)}},
		{name: "entity in trimmed tail dropped", html: "<b>x</b><i><br></i>", text: "x", entities: ents{bold(0, 1)}},
		{name: "entity partly trimmed", html: "<b>\u00a0x</b>", text: "x", entities: ents{bold(0, 1)}},
		{name: "empty element", html: "a<b></b>b", text: "ab"},
		{name: "br", html: "a<br>b<br/>c", text: "a\nb\nc"},
		{name: "paragraphs", html: "<p>one</p><p>two</p>\n<div>three</div>four", text: "one\ntwo\nthree\nfour"},
		{name: "pre with language", html: "<pre><code class=\"language-go\">x := 1\nfmt.Println(x)\n</code></pre>", text: "x := 1\nfmt.Println(x)",
			entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 21, Language: "go"}}},
		{name: "pre without code", html: "before<pre>  a\n    b</pre>after", text: "before\n  a\n    b\nafter",
			entities: ents{&tg.MessageEntityPre{Offset: 7, Length: 9}}},
		{name: "pre language sanitized", html: `<pre><code class="foo language-c&quot;++">x</code></pre>`, text: "x",
			entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 1, Language: "c++"}}},
		{name: "pre flattens markup", html: "<pre><code>a<b>b</b><br>c</code></pre>", text: "ab\nc",
			entities: ents{&tg.MessageEntityPre{Offset: 0, Length: 4}}},
		{name: "pre after emoji", html: "😀<pre><code>x</code></pre>", text: "😀\nx",
			entities: ents{&tg.MessageEntityPre{Offset: 3, Length: 1}}},
		{name: "link", html: `see <a href="https://example.com">site</a>`, text: "see site",
			entities: ents{&tg.MessageEntityTextURL{Offset: 4, Length: 4, URL: "https://example.com"}}},
		{name: "link same as text", html: `<a href="https://example.com/">https://example.com</a>`, text: "https://example.com"},
		{name: "link same as text without scheme", html: `<a href="http://example.com">example.com</a>`, text: "example.com"},
		{name: "mailto same as text", html: `<a href="mailto:a@b.co">a@b.co</a>`, text: "a@b.co"},
		{name: "mailto with text", html: `<a href="mailto:a@b.co">mail me</a>`, text: "mail me",
			entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 7, URL: "mailto:a@b.co"}}},
		{name: "javascript link", html: `<a href="javascript:alert(1)">click</a>`, text: "click"},
		{name: "link without href", html: `<a>click</a>`, text: "click"},
		{name: "link with bold inside", html: `<a href="https://e.xample"><b>x</b>y</a>`, text: "xy",
			entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 2, URL: "https://e.xample"}, bold(0, 1)}},
		{name: "pill resolved", html: `hi <a href="https://matrix.to/#/@alice:example.org">Alice</a>!`, text: "hi Alice!",
			entities: ents{&tg.MessageEntityMentionName{Offset: 3, Length: 5, UserID: 123}}},
		{name: "pill percent-encoded", html: `<a href="https://matrix.to/#/%40telegram_456%3Aexample.org">Bob</a>`, text: "Bob",
			entities: ents{&tg.MessageEntityMentionName{Offset: 0, Length: 3, UserID: 456}}},
		{name: "pill matrix uri", html: `<a href="matrix:u/alice:example.org">Alice</a>`, text: "Alice",
			entities: ents{&tg.MessageEntityMentionName{Offset: 0, Length: 5, UserID: 123}}},
		{name: "pill empty text uses name", html: `<a href="https://matrix.to/#/@alice:example.org"></a> hi`, text: "Alice hi",
			entities: ents{&tg.MessageEntityMentionName{Offset: 0, Length: 5, UserID: 123}}},
		{name: "pill unresolved", html: `<a href="https://matrix.to/#/@carol:example.org">Carol</a>`, text: "Carol"},
		{name: "room link", html: `<a href="https://matrix.to/#/#room:example.org">room</a>`, text: "room",
			entities: ents{&tg.MessageEntityTextURL{Offset: 0, Length: 4, URL: "https://matrix.to/#/#room:example.org"}}},
		{name: "spoiler", html: `<span data-mx-spoiler="reason">s</span><span data-mx-color="#f00">c</span>`, text: "sc",
			entities: ents{&tg.MessageEntitySpoiler{Offset: 0, Length: 1}}},
		{name: "blockquote", html: "before<blockquote><p>quoted</p></blockquote>after", text: "before\nquoted\nafter",
			entities: ents{&tg.MessageEntityBlockquote{Offset: 7, Length: 6}}},
		{name: "nested blockquote once", html: "<blockquote>a<blockquote>b</blockquote></blockquote>", text: "a\nb",
			entities: ents{&tg.MessageEntityBlockquote{Offset: 0, Length: 3}}},
		{name: "unordered list", html: "<ul>\n<li>one</li>\n<li><b>two</b></li>\n</ul>", text: "• one\n• two",
			entities: ents{bold(8, 3)}},
		{name: "ordered list", html: `<p>list:</p><ol start="3"><li><p>a</p></li><li>b<ul><li>c</li></ul></li><li></li><li>d</li></ol>`,
			text: "list:\n3. a\n4. b\n  • c\n5. \n6. d"},
		{name: "headings", html: "<h1>Title</h1><p>text</p><h3><b>Sub</b></h3>", text: "Title\ntext\nSub",
			entities: ents{bold(0, 5), bold(11, 3)}},
		{name: "reply fallback dropped", html: `<mx-reply><blockquote><a href="https://matrix.to/#/!r:x/$e">In reply to</a> <b>quoted</b></blockquote></mx-reply>answer <i>x</i>`,
			text: "answer x", entities: ents{italic(7, 1)}},
		{name: "emoticon", html: `hi <img data-mx-emoticon src="mxc://x/y" alt=":wave:" title=":wave:"> <b>b</b>`, text: "hi :wave: b",
			entities: ents{bold(10, 1)}},
		{name: "script and style dropped", html: "<script>alert(1)</script><style>b{}</style>ok", text: "ok"},
		{name: "emoji offsets", html: "😀😀 <i>x</i> 👍🏽 <u>y</u>", text: "😀😀 x 👍🏽 y",
			entities: ents{italic(5, 1), &tg.MessageEntityUnderline{Offset: 12, Length: 1}}},
		{name: "invalid utf-8", html: "a\xff<b>b</b>", text: "a\uFFFDb", entities: ents{bold(2, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, entities := FromHTML(tt.html, testUsers{})
			if text != tt.text {
				t.Errorf("text\n got: %q\nwant: %q", text, tt.text)
			}
			if !reflect.DeepEqual(entities, tt.entities) {
				t.Errorf("entities\n got: %v\nwant: %v", entities, tt.entities)
			}
			if err := checkEntities(text, entities); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFromHTMLNilResolver(t *testing.T) {
	text, entities := FromHTML(`<a href="https://matrix.to/#/@alice:example.org">Alice</a> <b>x</b>`, nil)
	if text != "Alice x" || !reflect.DeepEqual(entities, ents{bold(6, 1)}) {
		t.Errorf("FromHTML with nil resolver = %q, %v", text, entities)
	}
}

// TestRoundTripHTML checks ToHTML(FromHTML(html)) == html for HTML in the
// shape ToHTML produces. Block elements are the only exception: FromHTML puts
// them on their own line, so a <br> appears after them.
func TestRoundTripHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: "plain text"},
		{in: "<strong>bold</strong> and <em>italic</em>"},
		{in: "<del>x</del> <u>y</u> <span data-mx-spoiler>z</span>"},
		{in: "run <code>ls -l</code> now"},
		{in: `<a href="https://example.com">link</a>`},
		{in: `<a href="https://matrix.to/#/@alice:example.org">Alice</a>, hi`},
		{in: "👍 <strong>bold</strong> 😀 <em>мир</em>"},
		{in: "<strong>bold <em>both</em></strong>"},
		{in: "line<br>two<br><strong>three</strong>"},
		{in: "&lt;not a tag&gt; &amp; <strong>&lt;b&gt;</strong>"},
		{in: "<blockquote>quote</blockquote>answer", want: "<blockquote>quote</blockquote><br>answer"},
		{
			in:   "intro<br><pre><code class=\"language-go\">x := 1\ny := 2</code></pre>outro",
			want: "intro<br><pre><code class=\"language-go\">x := 1\ny := 2</code></pre><br>outro",
		},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			want := tt.want
			if want == "" {
				want = tt.in
			}
			text, entities := FromHTML(tt.in, testUsers{})
			out, _, _ := ToHTML(text, entities, testUsers{})
			if out != want {
				t.Errorf("round trip\n got: %q\nwant: %q\ntext: %q\nentities: %v", out, want, text, entities)
			}
		})
	}
}

// TestRoundTripEntities checks FromHTML(ToHTML(text, entities)) gives back the
// same text and entities for well-formed Telegram input.
func TestRoundTripEntities(t *testing.T) {
	tests := []struct {
		text     string
		entities ents
	}{
		{"hello world", ents{bold(0, 5)}},
		{"👍 bold", ents{bold(3, 4)}},
		{"Привет мир", ents{italic(0, 6), &tg.MessageEntityUnderline{Offset: 7, Length: 3}}},
		{"bold italic", ents{bold(0, 11), italic(5, 6)}},
		{"a😀b\nsecond line", ents{&tg.MessageEntityStrike{Offset: 0, Length: 4}, &tg.MessageEntitySpoiler{Offset: 5, Length: 6}}},
		{"see this", ents{&tg.MessageEntityTextURL{Offset: 4, Length: 4, URL: "https://example.com/a?b=c&d=e"}}},
		{"Alice: hi", ents{&tg.MessageEntityMentionName{Offset: 0, Length: 5, UserID: 123}}},
		{"code:\nx := 1\ny", ents{&tg.MessageEntityPre{Offset: 6, Length: 6, Language: "go"}}},
		{"quote\nanswer", ents{&tg.MessageEntityBlockquote{Offset: 0, Length: 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			out, _, _ := ToHTML(tt.text, tt.entities, testUsers{})
			text, entities := FromHTML(out, testUsers{})
			if text != tt.text || !reflect.DeepEqual(entities, tt.entities) {
				t.Errorf("round trip via %q\n got: %q %v\nwant: %q %v", out, text, entities, tt.text, tt.entities)
			}
		})
	}
}
