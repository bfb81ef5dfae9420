package directory

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// summary is a directory as "name:net/id,net/id" per person, sorted by name.
func summary(d *Directory) string {
	var out []string
	for _, p := range d.Sorted() {
		var cs []string
		for _, c := range p.Contacts {
			cs = append(cs, c.Network+"/"+c.ID)
		}
		out = append(out, p.Name+":"+strings.Join(cs, ","))
	}
	return strings.Join(out, " ")
}

var (
	bobTG  = Contact{ID: "1", Name: "Bob", Phone: "+15550001"}
	bobWA  = Contact{ID: "15550001", Name: "Bobby", Phone: "+15550001"}
	carol  = Contact{ID: "2", Name: "Carol", Username: "carol"}
	carol2 = Contact{ID: "9", Name: "carol  ", Username: "cc"}
	dave   = Contact{ID: "3", Name: "Dave", Username: "dave"}
	dave2  = Contact{ID: "7", Name: "D.", Username: "Dave"}
)

func TestSync(t *testing.T) {
	type step struct {
		network  string
		contacts []Contact
	}
	tests := []struct {
		name     string
		autoLink bool
		steps    []step
		want     string
		wantLast SyncResult
	}{
		{"one network", true, []step{{"tg", []Contact{bobTG, carol}}}, "Bob:tg/1 Carol:tg/2", SyncResult{Added: 2}},
		{"same phone links", true, []step{{"tg", []Contact{bobTG, carol}}, {"wa", []Contact{bobWA}}},
			"Bob:tg/1,wa/15550001 Carol:tg/2", SyncResult{Linked: 1}},
		{"auto-link off", false, []step{{"tg", []Contact{bobTG}}, {"wa", []Contact{bobWA}}},
			"Bob:tg/1 Bobby:wa/15550001", SyncResult{Added: 1}},
		{"same name does not link", true, []step{{"tg", []Contact{carol}}, {"wa", []Contact{carol2}}},
			"Carol:tg/2 carol:wa/9", SyncResult{Added: 1}},
		{"sync again changes nothing", true, []step{{"tg", []Contact{bobTG}}, {"wa", []Contact{bobWA}}, {"wa", []Contact{bobWA}}},
			"Bob:tg/1,wa/15550001", SyncResult{}},
		{"renamed contact updates a lone person", true,
			[]step{{"tg", []Contact{carol}}, {"tg", []Contact{{ID: "2", Name: "Caroline", Username: "carol"}}}},
			"Caroline:tg/2", SyncResult{Updated: 1}},
		{"name without a name", true, []step{{"tg", []Contact{{ID: "5", Phone: "+15550005"}}}}, "+15550005:tg/5", SyncResult{Added: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Directory
			var res SyncResult
			for _, s := range tt.steps {
				res = d.Sync(s.network, s.contacts, tt.autoLink)
			}
			if got := summary(&d); got != tt.want {
				t.Errorf("directory = %q, want %q", got, tt.want)
			}
			if res != tt.wantLast {
				t.Errorf("last sync = %+v, want %+v", res, tt.wantLast)
			}
		})
	}
}

func TestFind(t *testing.T) {
	var d Directory
	d.Sync("tg", []Contact{bobTG, carol, dave, {ID: "4", Name: "Bob Marley"}}, true)
	tests := []struct {
		query string
		want  []string
	}{
		{"bob", []string{"Bob"}},    // exact name wins over "Bob Marley"
		{"  BOB ", []string{"Bob"}}, // case and spaces
		{"bo", []string{"Bob", "Bob Marley"}},
		{"@dave", []string{"Dave"}},      // username
		{"+1 555 0001", []string{"Bob"}}, // phone
		{"#2", []string{"Carol"}},
		{"#99", nil},
		{"zed", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range d.Find(tt.query) {
			got = append(got, p.Name)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestChanges(t *testing.T) {
	var d Directory
	d.Sync("tg", []Contact{bobTG, carol}, true)
	d.Sync("wa", []Contact{bobWA, carol2}, true)
	bob, carolTG, carolWA := d.Find("bob")[0], d.Find("#2")[0], d.Find("#3")[0]

	if err := d.Link(carolTG, carolWA); err != nil {
		t.Fatalf("link: %v", err)
	}
	if err := d.Link(carolTG, carolTG); !errors.Is(err, ErrSamePerson) {
		t.Errorf("link to itself: %v, want ErrSamePerson", err)
	}
	if got, want := summary(&d), "Bob:tg/1,wa/15550001 Carol:tg/2,wa/9"; got != want {
		t.Fatalf("after link: %q, want %q", got, want)
	}
	if err := d.Prefer(bob, "WA"); err != nil || bob.Preferred != "wa" {
		t.Errorf("prefer wa: %v, preferred %q", err, bob.Preferred)
	}
	if err := d.Prefer(bob, "signal"); !errors.Is(err, ErrNotOnNetwork) {
		t.Errorf("prefer signal: %v, want ErrNotOnNetwork", err)
	}
	split, err := d.Unlink(bob, "WA")
	if err != nil {
		t.Fatalf("unlink: %v", err)
	}
	if bob.Preferred != "" {
		t.Errorf("preferred %q after unlinking it, want none", bob.Preferred)
	}
	if _, err := d.Unlink(bob, "tg"); !errors.Is(err, ErrOnlyNetwork) {
		t.Errorf("unlink last network: %v, want ErrOnlyNetwork", err)
	}
	if _, err := d.Unlink(bob, "wa"); !errors.Is(err, ErrNotOnNetwork) {
		t.Errorf("unlink absent network: %v, want ErrNotOnNetwork", err)
	}
	// The next sync does not link them again: both contacts are known.
	d.Sync("wa", []Contact{bobWA}, true)
	if got, want := summary(&d), "Bob:tg/1 Bobby:wa/15550001 Carol:tg/2,wa/9"; got != want {
		t.Fatalf("after unlink and sync: %q, want %q", got, want)
	}
	for _, s := range d.Suggestions() {
		if s.A == split || s.B == split {
			t.Errorf("unlinked pair suggested again: %s / %s (%s)", s.A.Name, s.B.Name, s.Reason)
		}
	}
	if err := d.Rename(split, "  Robert   B. "); err != nil || split.Name != "Robert B." || !split.Renamed {
		t.Errorf("rename: %v, name %q", err, split.Name)
	}
	if err := d.Rename(split, " "); err == nil {
		t.Error("rename to nothing worked")
	}
	d.Sync("wa", []Contact{{ID: "15550001", Name: "Bobby 2", Phone: "+15550001"}}, true)
	if split.Name != "Robert B." {
		t.Errorf("sync renamed a person the user named: %q", split.Name)
	}
	d.Forget(split)
	if got, want := summary(&d), "Bob:tg/1 Carol:tg/2,wa/9"; got != want {
		t.Fatalf("after forget: %q, want %q", got, want)
	}
	// IDs of people who are gone (#3 linked away, #4 forgotten) are not given out again.
	d.Sync("wa", []Contact{{ID: "20", Name: "Erin"}}, true)
	if got := d.Find("erin"); len(got) != 1 || got[0].ID != 5 {
		t.Errorf("a new person after link and forget: %+v, want #5", got)
	}
}

func TestSuggestions(t *testing.T) {
	var d Directory
	d.Sync("tg", []Contact{bobTG, carol, dave}, false)
	d.Sync("wa", []Contact{bobWA, carol2, dave2, {ID: "8", Name: "Carol"}}, false)
	var got []string
	for _, s := range d.Suggestions() {
		got = append(got, s.A.Name+"+"+s.B.Name+"="+s.Reason)
	}
	// Two "Carol"s on wa share a network with nobody but each other: both are suggested with
	// the tg Carol, never with each other.
	want := []string{"Bob+Bobby=same phone number", "Carol+carol=same name", "Carol+Carol=same name", "D.+Dave=same username"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("suggestions = %q, want %q", got, want)
	}
}
