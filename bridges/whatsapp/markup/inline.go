package markup

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inlineMarkers are WhatsApp's inline styles, in the order they are tried.
var inlineMarkers = [...]struct {
	marker byte
	tag    string
}{
	{'`', "code"},
	{'*', "strong"},
	{'_', "em"},
	{'~', "del"},
}

// closers indexes, for each marker, the next position at or after i that can close a span:
// the marker, not preceded by a space and followed by a word boundary. Building it is linear
// and every lookup is O(1), so formatting stays linear in the message length whatever a
// remote sender puts in it.
type closers [len(inlineMarkers)][]int

func indexClosers(line string) *closers {
	var c closers
	for m := range inlineMarkers {
		next := make([]int, len(line)+1)
		next[len(line)] = -1
		for j := len(line) - 1; j >= 0; j-- {
			next[j] = next[j+1]
			if line[j] == inlineMarkers[m].marker && j > 0 && !isSpaceBefore(line, j) && boundaryAfter(line, j) {
				next[j] = j
			}
		}
		c[m] = next
	}
	return &c
}

// inline renders one line's inline formatting and mentions into b.
func inline(b *strings.Builder, line string, mention MentionFunc) (changed bool) {
	return render(b, line, 0, len(line), indexClosers(line), mention)
}

// render renders line[from:to]. Spans nest at most once per marker kind (a span ends at the
// first closer of its kind), so the recursion depth is bounded by len(inlineMarkers).
func render(b *strings.Builder, line string, from, to int, idx *closers, mention MentionFunc) (changed bool) {
	for i := from; i < to; {
		c := line[i]
		if c == '@' && mention != nil && (i == from || boundaryBefore(line, i)) {
			j := i + 1
			for j < to && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j > i+1 {
				if out, ok := mention(line[i+1 : j]); ok {
					b.WriteString(out)
					changed = true
					i = j
					continue
				}
			}
		}
		if m, end, ok := styled(line, i, from, to, idx); ok {
			tag := inlineMarkers[m].tag
			b.WriteString("<" + tag + ">")
			if tag == "code" {
				b.WriteString(html.EscapeString(line[i+1 : end]))
			} else {
				render(b, line, i+1, end, idx, mention)
			}
			b.WriteString("</" + tag + ">")
			changed = true
			i = end + 1
			continue
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		b.WriteString(html.EscapeString(line[i : i+size]))
		i += size
	}
	return changed
}

// styled reports whether a span opens at line[i] (within [from, to)) and where it closes.
// A span needs its marker at a word boundary, non-space content right after it, and a closer.
func styled(line string, i, from, to int, idx *closers) (m, end int, ok bool) {
	for m := range inlineMarkers {
		if line[i] != inlineMarkers[m].marker {
			continue
		}
		if (i > from && !boundaryBefore(line, i)) || i+1 >= to || isSpaceAt(line, i+1) || line[i+1] == line[i] {
			return 0, 0, false
		}
		if i+2 > to {
			return 0, 0, false
		}
		end := idx[m][i+2]
		if end < 0 || end >= to {
			return 0, 0, false
		}
		return m, end, true
	}
	return 0, 0, false
}

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func boundaryAfter(s string, i int) bool {
	if i+1 >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func isSpaceBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r)
}
