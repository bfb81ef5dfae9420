package directory

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Contact is one person on one network, as a bridge's contact list names them for one Matrix
// user.
type Contact struct {
	// Network is the bridge's name in the hub's config ("telegram", "whatsapp").
	Network string
	// ID is the bridge's remote user ID (bridgev2's networkid.UserID).
	ID       string
	Name     string
	Phone    string // E.164 (NormalizePhone), or ""
	Username string // without the network's prefix, or ""
	// MXID is the bridge's ghost of this contact, or "".
	MXID string
	// DetachedFrom is the person this contact was unlinked from (0: never unlinked); the two
	// are not suggested as one again.
	DetachedFrom int64
}

// Person is one human with their contacts on every network, as one Matrix user sees them.
type Person struct {
	// ID is unique among one Matrix user's people and never reused (Directory.LastID).
	ID   int64
	Name string
	// Renamed is set when the user chose the name: syncs no longer change it.
	Renamed bool
	// Preferred is the network to reach the person on, or "" for none.
	Preferred string
	Contacts  []Contact
}

// Networks returns the networks the person is on, in the order their contacts were added,
// each once.
func (p *Person) Networks() []string {
	var out []string
	for _, c := range p.Contacts {
		if !slices.Contains(out, c.Network) {
			out = append(out, c.Network)
		}
	}
	return out
}

// Directory is one Matrix user's people. The zero value is an empty directory.
type Directory struct {
	People []*Person
	// LastID is the largest person ID ever given out: IDs are not reused, so a #number in an
	// earlier answer never names someone else.
	LastID int64
}

// Errors of the user's changes; the connector words them for the user.
var (
	ErrSamePerson   = errors.New("that is the same person")
	ErrOnlyNetwork  = errors.New("the person is on no other network")
	ErrNotOnNetwork = errors.New("the person is not on that network")
)

// SyncResult counts what Sync changed.
type SyncResult struct {
	Added   int // new contacts that became people of their own
	Linked  int // new contacts linked to an existing person by phone number
	Updated int // known contacts whose name, phone, username or ghost changed
}

// Sync merges a bridge's contact list into the directory. A known contact (same network and
// ID) is updated in place, and its person's name follows the contact's unless the user renamed
// the person or the person has contacts elsewhere. With autoLink, a new contact whose phone
// number is already a contact of someone joins that person; otherwise it becomes a person of
// its own. Contacts missing from the list stay: a contact list is not the only way to know
// someone.
func (d *Directory) Sync(network string, contacts []Contact, autoLink bool) SyncResult {
	var res SyncResult
	for _, c := range contacts {
		c.Network = network
		if p, i := d.contact(network, c.ID); p != nil {
			old := p.Contacts[i]
			c.DetachedFrom = old.DetachedFrom
			if old != c {
				p.Contacts[i] = c
				res.Updated++
				if !p.Renamed && len(p.Contacts) == 1 && c.Name != "" {
					p.Name = c.Name
				}
			}
			continue
		}
		if autoLink && c.Phone != "" {
			if p := d.byPhone(c.Phone); p != nil {
				p.Contacts = append(p.Contacts, c)
				res.Linked++
				continue
			}
		}
		d.People = append(d.People, &Person{ID: d.nextID(), Name: displayName(c), Contacts: []Contact{c}})
		res.Added++
	}
	return res
}

// displayName is what a new person is called: the contact's name, else username, phone or ID.
func displayName(c Contact) string {
	for _, s := range []string{c.Name, c.Username, c.Phone, c.ID} {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return "?"
}

func (d *Directory) contact(network, id string) (*Person, int) {
	for _, p := range d.People {
		for i, c := range p.Contacts {
			if c.Network == network && c.ID == id {
				return p, i
			}
		}
	}
	return nil, -1
}

func (d *Directory) byPhone(phone string) *Person {
	for _, p := range d.People {
		for _, c := range p.Contacts {
			if c.Phone == phone {
				return p
			}
		}
	}
	return nil
}

func (d *Directory) nextID() int64 {
	last := d.LastID
	for _, p := range d.People {
		last = maxInt(last, p.ID)
	}
	d.LastID = last + 1
	return d.LastID
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// Person returns the person with this ID, or nil.
func (d *Directory) Person(id int64) *Person {
	for _, p := range d.People {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Find returns the people a user means by query: "#ID" names one person; otherwise people
// whose name is query (ignoring case and extra spaces), else people whose name, a contact's
// name, username or phone contains it. More than one result means the name is ambiguous.
func (d *Directory) Find(query string) []*Person {
	q := fold(query)
	if q == "" {
		return nil
	}
	if rest, ok := strings.CutPrefix(q, "#"); ok {
		if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
			if p := d.Person(id); p != nil {
				return []*Person{p}
			}
			return nil
		}
	}
	var exact, partial []*Person
	phone := NormalizePhone(query)
	for _, p := range d.People {
		if fold(p.Name) == q {
			exact = append(exact, p)
			continue
		}
		if strings.Contains(fold(p.Name), q) {
			partial = append(partial, p)
			continue
		}
		for _, c := range p.Contacts {
			if strings.Contains(fold(c.Name), q) || (c.Username != "" && strings.Contains(fold(c.Username), q)) ||
				(phone != "" && c.Phone == phone) {
				partial = append(partial, p)
				break
			}
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return partial
}

// fold is the form names are compared in: lower case, single spaces, no "@" before a username.
func fold(s string) string {
	return strings.TrimPrefix(strings.Join(strings.Fields(strings.ToLower(s)), " "), "@")
}

// Link makes b part of a: b's contacts move to a and b is gone.
func (d *Directory) Link(a, b *Person) error {
	if a == b || a.ID == b.ID {
		return ErrSamePerson
	}
	a.Contacts = append(a.Contacts, b.Contacts...)
	d.remove(b)
	return nil
}

// Unlink takes the person's contacts on network (its name in any case) out into a person of
// their own, which it returns; the two are not suggested as one again.
func (d *Directory) Unlink(p *Person, network string) (*Person, error) {
	var keep, moved []Contact
	for _, c := range p.Contacts {
		if strings.EqualFold(c.Network, network) {
			c.DetachedFrom = p.ID
			moved = append(moved, c)
		} else {
			keep = append(keep, c)
		}
	}
	switch {
	case len(moved) == 0:
		return nil, ErrNotOnNetwork
	case len(keep) == 0:
		return nil, ErrOnlyNetwork
	}
	p.Contacts = keep
	if strings.EqualFold(p.Preferred, network) {
		p.Preferred = ""
	}
	np := &Person{ID: d.nextID(), Name: displayName(moved[0]), Contacts: moved}
	d.People = append(d.People, np)
	return np, nil
}

// Rename gives the person a name of the user's choosing.
func (d *Directory) Rename(p *Person, name string) error {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return errors.New("the new name is empty")
	}
	p.Name, p.Renamed = name, true
	return nil
}

// Prefer makes network the one to reach the person on; it must be one of theirs.
func (d *Directory) Prefer(p *Person, network string) error {
	for _, n := range p.Networks() {
		if strings.EqualFold(n, network) {
			p.Preferred = n
			return nil
		}
	}
	return fmt.Errorf("prefer %s: %w", network, ErrNotOnNetwork)
}

// Forget removes the person and their contacts from the directory.
func (d *Directory) Forget(p *Person) { d.remove(p) }

func (d *Directory) remove(p *Person) {
	d.People = slices.DeleteFunc(d.People, func(q *Person) bool { return q.ID == p.ID })
}

// Sorted returns the people ordered by name (ignoring case), then ID.
func (d *Directory) Sorted() []*Person {
	out := slices.Clone(d.People)
	slices.SortStableFunc(out, func(a, b *Person) int {
		if c := strings.Compare(fold(a.Name), fold(b.Name)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out
}
