package connector

import (
	"testing"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
	"github.com/mxbridges/mxbridges/bridges/people/provision"
)

func TestToContacts(t *testing.T) {
	in := []*provision.Contact{
		{ID: "5", Name: " Bob ", Identifiers: []string{"telegram:bob", "tel:+1 555 000 1234"}, MXID: "@telegram_5:hs"},
		{ID: "4915112345678", Name: "Ann", Identifiers: []string{"tel:+4915112345678"}},
		{ID: "6", Identifiers: []string{"tel:0151123456", "telegram:eve"}}, // a national number links nobody
		{ID: "7", Identifiers: []string{"tel:+15550007", "tel:+15550008", "a:first", "b:second"}},
		{ID: ""}, // no ID: left out
		nil,
	}
	want := []directory.Contact{
		{ID: "5", Name: "Bob", Phone: "+15550001234", Username: "bob", MXID: "@telegram_5:hs"},
		{ID: "4915112345678", Name: "Ann", Phone: "+4915112345678"},
		{ID: "6", Username: "eve"},
		{ID: "7", Phone: "+15550007", Username: "first"},
	}
	got := toContacts(in)
	if len(got) != len(want) {
		t.Fatalf("toContacts gave %d contacts, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("contact %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
