package markup

import (
	"context"
	"strings"
	"testing"
)

// Adversarial and ordinary inputs of WhatsApp's maximum text length (65536 bytes). The
// adversarial ones were quadratic before closers were indexed; ns/op shows they are linear.
var benchInputs = map[string]string{
	"plain":            strings.Repeat("just some words ", 4096),
	"formatted":        strings.Repeat("*bold* _it_ ~st~ `c` ", 3120),
	"unclosed-markers": strings.Repeat("*a", 32768),
	"mixed-openers":    strings.Repeat("*_~`x", 13107),
}

func BenchmarkToHTML(b *testing.B) {
	for name, in := range benchInputs {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				ToHTML(in, nil)
			}
		})
	}
}

func BenchmarkFromHTML(b *testing.B) {
	in, _ := ToHTML(benchInputs["formatted"], nil)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		FromHTML(context.Background(), in, nil)
	}
}
