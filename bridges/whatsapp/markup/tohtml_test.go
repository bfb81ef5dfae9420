package markup

import (
	"strings"
	"testing"
)

func TestToHTML(t *testing.T) {
	mention := func(token string) (string, bool) {
		if token == "4915112345678" {
			return `<a href="https://matrix.to/#/@wa_4915112345678:localhost">Alice</a>`, true
		}
		return "", false
	}
	tests := []struct {
		name, in, want string
		changed        bool
	}{
		{"plain", "hello world", "hello world", false},
		{"escapes plain", "a < b & c", "a &lt; b &amp; c", false},
		{"bold", "*hi* there", "<strong>hi</strong> there", true},
		{"italic", "say _what_ now", "say <em>what</em> now", true},
		{"strike", "~gone~", "<del>gone</del>", true},
		{"inline code keeps markers", "`*not bold*`", "<code>*not bold*</code>", true},
		{"nested bold italic", "*_both_*", "<strong><em>both</em></strong>", true},
		{"marker inside word is literal", "snake_case_name", "snake_case_name", false},
		{"marker needs non-space content", "* not bold *", "<ul><li>not bold *</li></ul>", true},
		{"unclosed marker", "*open", "*open", false},
		{"math is not italic", "2*3*4", "2*3*4", false},
		{"escapes inside styles", "*<b>*", "<strong>&lt;b&gt;</strong>", true},
		{"code block", "```\nfunc main() {}\n```", "<pre><code>func main() {}\n</code></pre>", true},
		{"code block escapes", "```<x>```", "<pre><code>&lt;x&gt;</code></pre>", true},
		{"text around code block", "see ```a*b*c``` ok", "see <pre><code>a*b*c</code></pre> ok", true},
		{"quote", "> wise words\n> twice\nreply", "<blockquote>wise words<br>twice</blockquote><br>reply", true},
		{"bullets", "- one\n* two", "<ul><li>one</li><li>two</li></ul>", true},
		{"numbers", "1. one\n2. two", "<ol><li>one</li><li>two</li></ol>", true},
		{"numbers from 3", "3. three\n4. four", `<ol start="3"><li>three</li><li>four</li></ol>`, true},
		{"numbers from 0", "0. zero", `<ol start="0"><li>zero</li></ol>`, true},
		{"newlines", "a\nb", "a<br>b", false},
		{"mention resolved", "hi @4915112345678!", `hi <a href="https://matrix.to/#/@wa_4915112345678:localhost">Alice</a>!`, true},
		{"mention unknown", "hi @123", "hi @123", false},
		{"email is not mention", "mail a@4915112345678", "mail a@4915112345678", false},
		{"unicode bold", "*привет* 👋", "<strong>привет</strong> 👋", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := ToHTML(tt.in, mention)
			if !changed {
				// Unformatted text is sent as a plain body; the escaped form is still returned.
				got = strings.ReplaceAll(got, "\n", "<br>")
			}
			if got != tt.want || changed != tt.changed {
				t.Errorf("ToHTML(%q) = %q, %v; want %q, %v", tt.in, got, changed, tt.want, tt.changed)
			}
		})
	}
}
