package ids

import (
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

func TestPeers(t *testing.T) {
	tests := []struct {
		name    string
		peer    tg.PeerClass
		key     networkid.PortalKey
		ok      bool
		channel int64
		msg     networkid.MessageID
	}{
		{"private chat", &tg.PeerUser{UserID: 42}, networkid.PortalKey{ID: "user:42", Receiver: "7"}, true, 0, "5"},
		{"basic group", &tg.PeerChat{ChatID: 3}, networkid.PortalKey{ID: "chat:3", Receiver: "7"}, true, 0, "5"},
		{"channel", &tg.PeerChannel{ChannelID: 9}, networkid.PortalKey{ID: "channel:9"}, true, 9, "9.5"},
		{"no peer", nil, networkid.PortalKey{}, false, 0, "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, ok := PortalKey(tt.peer, "7")
			if key != tt.key || ok != tt.ok {
				t.Errorf("PortalKey = %+v, %v; want %+v, %v", key, ok, tt.key, tt.ok)
			}
			if got := ChannelOf(tt.peer); got != tt.channel {
				t.Errorf("ChannelOf = %d, want %d", got, tt.channel)
			}
			if got := MessageIDOf(tt.peer, 5); got != tt.msg {
				t.Errorf("MessageIDOf = %q, want %q", got, tt.msg)
			}
			if channel, n, err := ParseMessageID(MessageIDOf(tt.peer, 5)); err != nil || channel != tt.channel || n != 5 {
				t.Errorf("ParseMessageID(MessageIDOf) = %d, %d, %v", channel, n, err)
			}
		})
	}
}
