package markup

import (
	"math"
	"testing"

	"github.com/gotd/td/tg"
)

var fuzzURLs = []string{
	"https://example.com/a?b=1&c=\"2\"",
	"javascript:alert(1)",
	"tg://resolve?domain=x",
	"mailto:a@b.co",
	"",
	"http://",
	"data:text/html,<b>",
	"HTTPS://EXAMPLE.COM",
}

// entitiesFromBytes decodes fuzz bytes into an entity list. Every entity uses
// four bytes: type, offset, length and a modifier that selects extreme values
// and entity parameters.
func entitiesFromBytes(b []byte) []tg.MessageEntityClass {
	var out []tg.MessageEntityClass
	for ; len(b) >= 4; b = b[4:] {
		sel, o, l, x := b[0], b[1], b[2], b[3]
		off, length := int(int8(o)), int(int8(l))
		switch x >> 6 {
		case 3:
			off = math.MaxInt - int(o)
		case 2:
			length = math.MaxInt - int(l)
		case 1:
			off, length = int(o)*8, int(l)*8
		}
		lang := string([]byte{'a' + x%26, x, '+'})
		switch sel % 24 {
		case 0:
			out = append(out, &tg.MessageEntityBold{Offset: off, Length: length})
		case 1:
			out = append(out, &tg.MessageEntityItalic{Offset: off, Length: length})
		case 2:
			out = append(out, &tg.MessageEntityUnderline{Offset: off, Length: length})
		case 3:
			out = append(out, &tg.MessageEntityStrike{Offset: off, Length: length})
		case 4:
			out = append(out, &tg.MessageEntitySpoiler{Offset: off, Length: length})
		case 5:
			out = append(out, &tg.MessageEntityCode{Offset: off, Length: length})
		case 6:
			out = append(out, &tg.MessageEntityPre{Offset: off, Length: length, Language: lang})
		case 7:
			out = append(out, &tg.MessageEntityBlockquote{Offset: off, Length: length, Collapsed: x%2 == 0})
		case 8:
			out = append(out, &tg.MessageEntityTextURL{Offset: off, Length: length, URL: fuzzURLs[int(x)%len(fuzzURLs)]})
		case 9:
			out = append(out, &tg.MessageEntityURL{Offset: off, Length: length})
		case 10:
			out = append(out, &tg.MessageEntityEmail{Offset: off, Length: length})
		case 11:
			out = append(out, &tg.MessageEntityPhone{Offset: off, Length: length})
		case 12:
			out = append(out, &tg.MessageEntityMention{Offset: off, Length: length})
		case 13:
			out = append(out, &tg.MessageEntityMentionName{Offset: off, Length: length, UserID: int64(x % 8)})
		case 14:
			out = append(out, &tg.InputMessageEntityMentionName{Offset: off, Length: length, UserID: &tg.InputUser{UserID: int64(x % 8)}})
		case 15:
			out = append(out, &tg.MessageEntityHashtag{Offset: off, Length: length})
		case 16:
			out = append(out, &tg.MessageEntityCashtag{Offset: off, Length: length})
		case 17:
			out = append(out, &tg.MessageEntityBotCommand{Offset: off, Length: length})
		case 18:
			out = append(out, &tg.MessageEntityBankCard{Offset: off, Length: length})
		case 19:
			out = append(out, &tg.MessageEntityCustomEmoji{Offset: off, Length: length, DocumentID: int64(x)})
		case 20:
			out = append(out, &tg.MessageEntityUnknown{Offset: off, Length: length})
		case 21:
			out = append(out, &tg.MessageEntityFormattedDate{Offset: off, Length: length, Date: int(x)})
		case 22:
			out = append(out, (*tg.MessageEntityBold)(nil))
		default:
			out = append(out, nil)
		}
	}
	return out
}

func FuzzToHTML(f *testing.F) {
	seeds := []struct {
		text     string
		entities []byte
	}{
		{"hello world", []byte{0, 0, 5, 0}},
		{"👍 bold", []byte{0, 3, 4, 0}},
		{"a👍b", []byte{0, 2, 1, 0, 1, 0, 2, 0}},
		{"Привет мир", []byte{1, 7, 3, 0, 0, 0, 10, 0}},
		{"abcdefgh", []byte{0, 0, 5, 0, 1, 3, 5, 0}},
		{"short", []byte{0, 100, 5, 0, 0, 0xfe, 4, 0, 0, 1, 0, 0}},
		{"x := 1\ny", []byte{6, 0, 6, 7, 5, 0, 3, 0}},
		{"click", []byte{8, 0, 5, 1, 8, 0, 5, 0}},
		{"hi @alice @bo", []byte{12, 3, 6, 0, 12, 10, 3, 0, 13, 0, 2, 1}},
		{"see example.com a@b.co +1 555", []byte{9, 4, 11, 0, 10, 16, 6, 0, 11, 23, 6, 0}},
		{"quote\r\nnext\x00\xff", []byte{7, 0, 5, 0, 0, 3, 6, 0, 7, 5, 4, 0}},
		{"#tag /start 😀", []byte{15, 0, 4, 0, 17, 5, 6, 0, 19, 12, 2, 0, 22, 0, 1, 0, 23, 0, 0, 0}},
		{"overflow", []byte{0, 1, 1, 0xc0, 1, 1, 1, 0x80, 2, 1, 1, 0x40}},
		{"<b>&amp;</b>", []byte{3, 0, 12, 0, 4, 2, 3, 0, 14, 0, 3, 3}},
	}
	for _, s := range seeds {
		f.Add(s.text, s.entities)
	}
	f.Fuzz(func(t *testing.T, text string, raw []byte) {
		checkToHTML(t, text, entitiesFromBytes(raw), fuzzUsers{})
	})
}

var fuzzHTMLSeeds = []string{
	"<strong>bold</strong> <em>it</em> <u>u</u> <del>d</del>",
	"👍 <b>bold</b> 😀<i>x</i>",
	"<pre><code class=\"language-go\">x := 1\n</code></pre>",
	`<a href="https://example.com">x</a> <a href="javascript:alert(1)">y</a>`,
	`<a href="https://matrix.to/#/@alice:example.org">Alice</a> <a href="https://matrix.to/#/@bob:x.y"></a>`,
	"<blockquote><p>q</p><blockquote>n</blockquote></blockquote>after",
	"<ul><li>a</li><li><ol start=\"9\"><li>b</li></ol></li></ul>",
	"<h1>T</h1><p>p1</p><p>p2<br></p>",
	"<mx-reply><blockquote>r</blockquote></mx-reply>x",
	`<img data-mx-emoticon alt=":a:"> <span data-mx-spoiler>s</span>`,
	"<b>ab<i>cd</b>ef</i>",
	"  \n <br> <b> </b> ",
	"<table><tr><td>a</td><td>b</td></tr></table><hr>",
	"<pre>\r\n\ta\x00\xff</pre>&#13;&#0;",
}

func FuzzFromHTML(f *testing.F) {
	for _, s := range fuzzHTMLSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, htmlBody string) {
		text, entities := FromHTML(htmlBody, fuzzUsers{})
		if err := checkEntities(text, entities); err != nil {
			t.Fatalf("%v\nhtml: %q\ntext: %q\nentities: %v", err, htmlBody, text, entities)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	for _, s := range fuzzHTMLSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, htmlBody string) {
		text, entities := FromHTML(htmlBody, fuzzUsers{})
		checkToHTML(t, text, entities, fuzzUsers{})
	})
}
