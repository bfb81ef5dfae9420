package directory

// Suggestion is two people who may be one: the user confirms with `link`.
type Suggestion struct {
	A, B   *Person
	Reason string // "same name" or "same username"
}

// Suggestions lists pairs of people on different networks that share a name or a username,
// leaving out pairs the user already split with Unlink. Phone numbers need no suggestion:
// Sync links them (with auto-linking on), and with it off they are suggested as "same phone".
func (d *Directory) Suggestions() []Suggestion {
	var out []Suggestion
	people := d.Sorted()
	for i, a := range people {
		for _, b := range people[i+1:] {
			if sharesNetwork(a, b) || detached(a, b) {
				continue
			}
			if reason := sameness(a, b); reason != "" {
				out = append(out, Suggestion{A: a, B: b, Reason: reason})
			}
		}
	}
	return out
}

func sameness(a, b *Person) string {
	for _, ca := range a.Contacts {
		for _, cb := range b.Contacts {
			if ca.Phone != "" && ca.Phone == cb.Phone {
				return "same phone number"
			}
		}
	}
	if fold(a.Name) != "" && fold(a.Name) == fold(b.Name) {
		return "same name"
	}
	for _, ca := range a.Contacts {
		for _, cb := range b.Contacts {
			if ca.Username != "" && fold(ca.Username) == fold(cb.Username) {
				return "same username"
			}
		}
	}
	return ""
}

func sharesNetwork(a, b *Person) bool {
	for _, n := range a.Networks() {
		for _, m := range b.Networks() {
			if n == m {
				return true
			}
		}
	}
	return false
}

func detached(a, b *Person) bool {
	for _, c := range a.Contacts {
		if c.DetachedFrom == b.ID {
			return true
		}
	}
	for _, c := range b.Contacts {
		if c.DetachedFrom == a.ID {
			return true
		}
	}
	return false
}
