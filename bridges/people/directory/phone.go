package directory

import "strings"

// E.164 allows at most 15 digits after the "+"; fewer than 7 is no real number anywhere.
const (
	minDigits = 7
	maxDigits = 15
)

// NormalizePhone returns the E.164 form ("+4915112345678") of an international phone number,
// or "" when s is not one. It takes what bridges put in identifiers ("tel:+49 151 …") and what
// users type: a leading "+" or "00", then digits with spaces, dashes, dots, slashes or
// parentheses between them. A national number (no "+" or "00") names no country, so it is
// not a number here; a country code never starts with 0.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "tel:")
	switch {
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "00"):
		s = s[2:]
	default:
		return ""
	}
	var b strings.Builder
	b.Grow(maxDigits + 1)
	b.WriteByte('+')
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if digits == 0 && r == '0' {
				return ""
			}
			digits++
			if digits > maxDigits {
				return ""
			}
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')':
		default:
			return ""
		}
	}
	if digits < minDigits {
		return ""
	}
	return b.String()
}
