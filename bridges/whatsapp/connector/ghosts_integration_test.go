//go:build integration

package connector_test

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waSyncAction"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
	"maunium.net/go/mautrix/event"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// TestAddressBookNameWins: a name saved in the phone's address book replaces the push name.
func TestAddressBookNameWins(t *testing.T) {
	s := login(t, "Abe")
	ch, _, _ := openChat(t, s, "Cool Guy 😎", "hey")
	c := s.u.Cursor()
	s.cli.Emit(&events.Contact{JID: ch.peer, Timestamp: time.Now(), Action: &waSyncAction.ContactAction{FullName: proto.String("Carl Contact"), FirstName: proto.String("Carl")}})
	s.u.WaitFor(t, ch.portal, c, "the ghost renamed to the address-book name", func(x matrixtest.Seen) bool {
		return x.Event.Type == event.StateMember && x.Event.GetStateKey() == ch.ghost.String() && x.Event.Content.AsMember().Displayname == "Carl Contact"
	})
}
