package markup

import (
	"context"
	"reflect"
	"testing"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

func ghostPill(userID id.UserID, _ string) (string, string, bool) {
	const prefix = "@wa_"
	s := string(userID)
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		phone := s[len(prefix):]
		if i := indexByte(phone, ':'); i > 0 {
			phone = phone[:i]
		}
		return "@" + phone, phone + "@s.whatsapp.net", true
	}
	return "", "", false
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func TestFromHTML(t *testing.T) {
	tests := []struct {
		name, in, want string
		mentions       []string
	}{
		{"plain", "hello", "hello", nil},
		{"bold", "<strong>hi</strong> there", "*hi* there", nil},
		{"b tag", "<b>hi</b>", "*hi*", nil},
		{"italic", "<em>x</em>", "_x_", nil},
		{"strike", "<del>x</del> <s>y</s>", "~x~ ~y~", nil},
		{"code", "<code>a*b</code>", "`a*b`", nil},
		{"code block", "<pre><code>line1\nline2\n</code></pre>", "```line1\nline2```", nil},
		{"blank bold adds no markers", "a<strong> </strong>b", "ab", nil},
		{"link with text", `<a href="https://example.com">site</a>`, "site (https://example.com)", nil},
		{"bare link", `<a href="https://example.com">https://example.com</a>`, "https://example.com", nil},
		{"unordered list", "<ul><li>a</li><li>b</li></ul>", "* a\n* b", nil},
		{"ordered list", "<ol><li>a</li><li>b</li></ol>", "1. a\n2. b", nil},
		{"quote", "<blockquote>wise</blockquote>rest", "> wise\nrest", nil},
		{"line breaks", "a<br>b", "a\nb", nil},
		{"entities", "a &lt; b &amp;&amp; c", "a < b && c", nil},
		{"ghost pill", `hi <a href="https://matrix.to/#/@wa_4915112345678:localhost">Alice</a>`, "hi @4915112345678", []string{"4915112345678@s.whatsapp.net"}},
		{"same pill twice", `<a href="https://matrix.to/#/@wa_1:localhost">A</a> <a href="https://matrix.to/#/@wa_1:localhost">A</a>`, "@1 @1", []string{"1@s.whatsapp.net"}},
		{"non-ghost pill keeps name", `hi <a href="https://matrix.to/#/@bob:localhost">Bob</a>`, "hi Bob", nil},
		{"script stays inert text", "<script>alert(1)</script>ok", "alert(1)ok", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromHTML(context.Background(), tt.in, ghostPill)
			if got.Text != tt.want {
				t.Errorf("FromHTML(%q).Text = %q, want %q", tt.in, got.Text, tt.want)
			}
			if !reflect.DeepEqual(got.MentionedJIDs, tt.mentions) && !(len(got.MentionedJIDs) == 0 && len(tt.mentions) == 0) {
				t.Errorf("FromHTML(%q).MentionedJIDs = %v, want %v", tt.in, got.MentionedJIDs, tt.mentions)
			}
		})
	}
}

func TestFromMatrixPlainBody(t *testing.T) {
	got := FromMatrix(context.Background(), &event.MessageEventContent{Body: "*already* marked"}, ghostPill)
	if got.Text != "*already* marked" {
		t.Errorf("plain body changed to %q", got.Text)
	}
	got = FromMatrix(context.Background(), &event.MessageEventContent{
		Body: "bold", Format: event.FormatHTML, FormattedBody: "<b>bold</b>",
	}, ghostPill)
	if got.Text != "*bold*" {
		t.Errorf("HTML body rendered as %q, want *bold*", got.Text)
	}
}
