package ids

import (
	"testing"

	"maunium.net/go/mautrix/bridgev2/networkid"
)

func TestPollIDs(t *testing.T) {
	tests := []struct {
		got, want networkid.MessageID
	}{
		{PollVoteID("12", "$event"), "12:vote:$event"},
		{PollVoteID(ChannelMessageID(5, 12), "99"), "5.12:vote:99"},
		{PollEndID("12"), "12:end"},
		{PollEndID(ChannelMessageID(5, 12)), "5.12:end"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
		// A vote or an end must never be taken for a Telegram message (to edit, delete, reply to).
		if _, _, err := ParseMessageID(tt.got); err == nil {
			t.Errorf("ParseMessageID(%q) accepted a poll vote/end ID", tt.got)
		}
	}
	if PollVoteID("12", "a") == PollVoteID("12", "b") || PollVoteID("12", "a") == PollEndID("12") {
		t.Error("vote and end IDs must differ")
	}
}
