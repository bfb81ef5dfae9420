package tgconv

import (
	"testing"

	"github.com/gotd/td/bin"
)

// addTL adds the TL encoding of each seed to a fuzzer's corpus.
func addTL(f *testing.F, seeds ...bin.Encoder) {
	f.Helper()
	for _, seed := range seeds {
		var b bin.Buffer
		if err := seed.Encode(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Raw())
	}
}
