package ids

import (
	"testing"

	"go.mau.fi/whatsmeow/types"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

func TestPortalKey(t *testing.T) {
	tests := []struct {
		name string
		chat types.JID
		want networkid.PortalKey
	}{
		{"dm belongs to the login", types.NewADJID("4915112345678", 0, 3), networkid.PortalKey{ID: "4915112345678@s.whatsapp.net", Receiver: "4917000000000"}},
		{"group is shared", types.NewJID("120363000000000000", types.GroupServer), networkid.PortalKey{ID: "120363000000000000@g.us"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PortalKey(tt.chat, "4917000000000")
			if got != tt.want {
				t.Errorf("PortalKey = %+v, want %+v", got, tt.want)
			}
			back, err := ParsePortalID(got.ID)
			if err != nil || back != tt.chat.ToNonAD() {
				t.Errorf("ParsePortalID(%q) = %v, %v", got.ID, back, err)
			}
		})
	}
	if _, err := ParsePortalID("not a jid@"); err == nil {
		t.Error("ParsePortalID accepted a JID without user")
	}
}

func TestUserID(t *testing.T) {
	tests := []struct {
		jid  types.JID
		want networkid.UserID
	}{
		{types.NewJID("4915112345678", types.DefaultUserServer), "4915112345678"},
		{types.NewADJID("4915112345678", 0, 7), "4915112345678"},
		{types.NewJID("123456789012345", types.HiddenUserServer), "lid-123456789012345"},
	}
	for _, tt := range tests {
		got := UserID(tt.jid)
		if got != tt.want {
			t.Errorf("UserID(%s) = %q, want %q", tt.jid, got, tt.want)
		}
		back, err := ParseUserID(got)
		if err != nil || back != tt.jid.ToNonAD() {
			t.Errorf("ParseUserID(%q) = %v, %v; want %v", got, back, err, tt.jid.ToNonAD())
		}
	}
	for _, bad := range []networkid.UserID{"", "lid-", "abc", "49 151", "lid-x1"} {
		if _, err := ParseUserID(bad); err == nil {
			t.Errorf("ParseUserID(%q) accepted a non-user", bad)
		}
	}
}

func TestMessageID(t *testing.T) {
	chat := types.NewJID("120363000000000000", types.GroupServer)
	sender := types.NewADJID("4915112345678", 0, 2)
	id := MessageID(chat, sender, "3EB0ABC")
	if id != "120363000000000000@g.us:4915112345678@s.whatsapp.net:3EB0ABC" {
		t.Fatalf("MessageID = %q", id)
	}
	p, err := ParseMessageID(id)
	if err != nil || p.Chat != chat || p.Sender != sender.ToNonAD() || p.ID != "3EB0ABC" {
		t.Errorf("ParseMessageID = %+v, %v", p, err)
	}
	for _, bad := range []networkid.MessageID{"", "a:b", "x@g.us:y@s.whatsapp.net:", ":y@s.whatsapp.net:1", "x@g.us::1"} {
		if _, err := ParseMessageID(bad); err == nil {
			t.Errorf("ParseMessageID(%q) accepted a malformed ID", bad)
		}
	}
}

func TestLoginID(t *testing.T) {
	jid := types.NewADJID("4917000000000", 0, 5)
	if got := LoginID(jid); got != "4917000000000" {
		t.Errorf("LoginID = %q", got)
	}
	if got := LoginJID("4917000000000"); got != jid.ToNonAD() {
		t.Errorf("LoginJID = %v", got)
	}
}
