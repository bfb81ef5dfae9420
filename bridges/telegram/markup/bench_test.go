package markup

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
)

// benchText builds a deterministic message of the given number of runes that
// mixes ASCII, Cyrillic, emoji and newlines.
func benchText(runes int) string {
	words := []string{"hello", "мир", "👍", "code", "😀😀", "\n", "link", "ok"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	count := 0
	for count < runes {
		w := words[rng.IntN(len(words))]
		for _, r := range w {
			if count == runes {
				break
			}
			b.WriteRune(r)
			count++
		}
		if count < runes {
			b.WriteByte(' ')
			count++
		}
	}
	return b.String()
}

// randomEntities returns count entities of mixed types with random, often
// overlapping ranges inside a text of n UTF-16 units.
func randomEntities(n, count int, seed uint64) []tg.MessageEntityClass {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	out := make([]tg.MessageEntityClass, count)
	for i := range out {
		off := rng.IntN(n)
		length := 1 + rng.IntN(min(200, n-off))
		switch rng.IntN(10) {
		case 0:
			out[i] = &tg.MessageEntityBold{Offset: off, Length: length}
		case 1:
			out[i] = &tg.MessageEntityItalic{Offset: off, Length: length}
		case 2:
			out[i] = &tg.MessageEntityUnderline{Offset: off, Length: length}
		case 3:
			out[i] = &tg.MessageEntityStrike{Offset: off, Length: length}
		case 4:
			out[i] = &tg.MessageEntitySpoiler{Offset: off, Length: length}
		case 5:
			out[i] = &tg.MessageEntityCode{Offset: off, Length: length}
		case 6:
			out[i] = &tg.MessageEntityPre{Offset: off, Length: length, Language: "go"}
		case 7:
			out[i] = &tg.MessageEntityBlockquote{Offset: off, Length: length}
		case 8:
			out[i] = &tg.MessageEntityTextURL{Offset: off, Length: length, URL: "https://example.com/" + strconv.Itoa(i)}
		default:
			out[i] = &tg.MessageEntityMentionName{Offset: off, Length: length, UserID: int64(i)}
		}
	}
	return out
}

func BenchmarkToHTML(b *testing.B) {
	text := benchText(4096)
	n := utf16Len(text)
	for _, count := range []int{200, 2000, 20000} {
		entities := randomEntities(n, count, 42)
		b.Run(strconv.Itoa(count)+"entities", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				ToHTML(text, entities, fuzzUsers{})
			}
		})
	}
}

func BenchmarkFromHTML(b *testing.B) {
	text := benchText(4096)
	htmlBody, _, _ := ToHTML(text, randomEntities(utf16Len(text), 200, 42), fuzzUsers{})
	b.ReportAllocs()
	b.SetBytes(int64(len(htmlBody)))
	for b.Loop() {
		FromHTML(htmlBody, fuzzUsers{})
	}
}
