package connector

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
)

func TestListPeoplePages(t *testing.T) {
	var d directory.Directory
	var contacts []directory.Contact
	for i := range 250 {
		contacts = append(contacts, directory.Contact{ID: fmt.Sprint(i), Name: fmt.Sprintf("P%03d", i)})
	}
	d.Sync("tg", contacts, true)
	var wa []directory.Contact
	for i := range 30 {
		wa = append(wa, directory.Contact{ID: fmt.Sprint(i), Name: fmt.Sprintf("P%03d", i)})
	}
	// 30 more people, each with a same-name suggestion; sorted by name they come in pairs.
	d.Sync("wa", wa, true)
	tests := []struct {
		page      int
		wantHead  string
		wantLines int
		first     string
	}{
		{1, "280 people (page 1 of 3; `$cmdprefix people 2` for the next):", 100, "**P000** (#1)"},
		{2, "280 people (page 2 of 3; `$cmdprefix people 3` for the next):", 100, "**P070** (#71)"},
		{3, "280 people (page 3 of 3):", 80, "**P170** (#171)"},
		{9, "280 people (page 3 of 3):", 80, "**P170** (#171)"},
		{0, "280 people (page 1 of 3;", 100, "**P000** (#1)"},
	}
	for _, tt := range tests {
		got := listPeople(&d, tt.page)
		if !strings.HasPrefix(got, tt.wantHead) {
			t.Errorf("page %d starts %q, want %q", tt.page, firstLine(got), tt.wantHead)
		}
		list, _, _ := strings.Cut(got, "\nMaybe the same person")
		if n := strings.Count(list, "\n* "); n != tt.wantLines {
			t.Errorf("page %d lists %d people, want %d", tt.page, n, tt.wantLines)
		}
		if !strings.Contains(list, "* "+tt.first+":") {
			t.Errorf("page %d lacks %s:\n%s", tt.page, tt.first, list)
		}
		if n := strings.Count(got, "`link #"); n != maxSuggestions {
			t.Errorf("page %d suggests %d links, want at most %d", tt.page, n, maxSuggestions)
		}
		if !strings.Contains(got, "…and 10 more") {
			t.Errorf("page %d does not say how many suggestions it left out", tt.page)
		}
		if len(got) > 32<<10 {
			t.Errorf("page %d is %d bytes: too big for one Matrix event once rendered", tt.page, len(got))
		}
	}
	if got := listPeople(&directory.Directory{}, 1); !strings.Contains(got, "You have no people yet") {
		t.Errorf("empty directory: %q", got)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
