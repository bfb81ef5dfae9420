package ids

import (
	"testing"

	"maunium.net/go/mautrix/bridgev2/networkid"
)

func TestUserPortal(t *testing.T) {
	key := UserPortal(42, "7")
	if key != (networkid.PortalKey{ID: "user:42", Receiver: "7"}) {
		t.Fatalf("UserPortal = %+v", key)
	}
	if n, err := ParseUserPortal(key.ID); err != nil || n != 42 {
		t.Errorf("ParseUserPortal = %d, %v", n, err)
	}
	for _, bad := range []networkid.PortalID{"", "user:", "user:x", "user:-1", "chat:42"} {
		if _, err := ParseUserPortal(bad); err == nil {
			t.Errorf("ParseUserPortal(%q) accepted a non-user portal", bad)
		}
	}
}

func TestUserAndMessageIDs(t *testing.T) {
	if UserID(123) != "123" || LoginID(123) != "123" {
		t.Fatal("user and login IDs are the decimal user ID")
	}
	if n, err := ParseUserID("123"); err != nil || n != 123 {
		t.Errorf("ParseUserID = %d, %v", n, err)
	}
	for _, bad := range []networkid.UserID{"", "0", "abc", "-5"} {
		if _, err := ParseUserID(bad); err == nil {
			t.Errorf("ParseUserID(%q) accepted a non-user", bad)
		}
	}
	tests := []struct {
		id      networkid.MessageID
		channel int64
		msg     int
	}{
		{MessageID(1001), 0, 1001},
		{ChannelMessageID(42, 7), 42, 7},
	}
	for _, tt := range tests {
		channel, msg, err := ParseMessageID(tt.id)
		if err != nil || channel != tt.channel || msg != tt.msg {
			t.Errorf("ParseMessageID(%q) = %d, %d, %v", tt.id, channel, msg, err)
		}
	}
	if MessageID(1001) != "1001" || ChannelMessageID(42, 7) != "42.7" {
		t.Errorf("IDs = %q, %q", MessageID(1001), ChannelMessageID(42, 7))
	}
	for _, bad := range []networkid.MessageID{"", "42.", "x.1", "42.0", "42.-3", "-1.5", "abc"} {
		if _, _, err := ParseMessageID(bad); err == nil {
			t.Errorf("ParseMessageID(%q) accepted a malformed ID", bad)
		}
	}
}

func TestChannelIDs(t *testing.T) {
	key := ChannelPortal(77)
	if key != (networkid.PortalKey{ID: "channel:77"}) {
		t.Fatalf("ChannelPortal = %+v (channel portals have no receiver)", key)
	}
	tests := []struct {
		id   networkid.PortalID
		kind string
		peer int64
		ok   bool
	}{
		{"user:5", KindUser, 5, true},
		{"chat:6", KindChat, 6, true},
		{"channel:77", KindChannel, 77, true},
		{"channel:", "", 0, false},
		{"channel:-3", "", 0, false},
		{"group:3", "", 0, false},
	}
	for _, tt := range tests {
		kind, peer, err := ParsePortal(tt.id)
		if (err == nil) != tt.ok || kind != tt.kind || peer != tt.peer {
			t.Errorf("ParsePortal(%q) = %q, %d, %v", tt.id, kind, peer, err)
		}
	}
	if n, err := ParseChannelUserID(ChannelUserID(77)); err != nil || n != 77 {
		t.Errorf("ParseChannelUserID = %d, %v", n, err)
	}
	for _, bad := range []networkid.UserID{"77", "channel-", "channel-x", "channel-0"} {
		if _, err := ParseChannelUserID(bad); err == nil {
			t.Errorf("ParseChannelUserID(%q) accepted a non-channel", bad)
		}
	}
	if _, err := ParseUserID(ChannelUserID(77)); err == nil {
		t.Error("a channel ghost parsed as a user")
	}
	if MessageIDIn(0, 5) != "5" || MessageIDIn(77, 5) != "77.5" {
		t.Errorf("MessageIDIn = %q, %q", MessageIDIn(0, 5), MessageIDIn(77, 5))
	}
}
