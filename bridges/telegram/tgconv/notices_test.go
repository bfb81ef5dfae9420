package tgconv

import (
	"strings"
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
)

func TestServiceNotice(t *testing.T) {
	ended := &tg.MessageActionGroupCall{Call: &tg.InputGroupCall{}}
	ended.SetDuration(95)
	call := func(video bool, reason tg.PhoneCallDiscardReasonClass, duration int) *tg.MessageActionPhoneCall {
		a := &tg.MessageActionPhoneCall{Video: video, CallID: 1}
		if reason != nil {
			a.SetReason(reason)
		}
		if duration > 0 {
			a.SetDuration(duration)
		}
		return a
	}
	tests := []struct {
		name   string
		action tg.MessageActionClass
		want   string
	}{
		{"chat created", &tg.MessageActionChatCreate{Title: "Book club", Users: []int64{1, 2}}, `Ann created the group "Book club".`},
		{"channel created", &tg.MessageActionChannelCreate{Title: "News"}, `Ann created the channel "News".`},
		{"migrated to supergroup", &tg.MessageActionChatMigrateTo{ChannelID: 7}, "Ann upgraded this group to a supergroup."},
		{"migrated from group", &tg.MessageActionChannelMigrateFrom{Title: "Old", ChatID: 3}, `This supergroup was upgraded from the group "Old".`},
		{"history cleared", &tg.MessageActionHistoryClear{}, "Ann cleared the chat history."},
		{"screenshot", &tg.MessageActionScreenshotTaken{}, "Ann took a screenshot of the chat."},
		{"game score", &tg.MessageActionGameScore{GameID: 5, Score: 42}, "Ann scored 42 in a game."},
		{"missed call", call(false, &tg.PhoneCallDiscardReasonMissed{}, 0), "Missed voice call from Ann."},
		{"missed video call", call(true, &tg.PhoneCallDiscardReasonMissed{}, 0), "Missed video call from Ann."},
		{"declined call", call(false, &tg.PhoneCallDiscardReasonBusy{}, 0), "Voice call from Ann was declined."},
		{"ended call", call(false, &tg.PhoneCallDiscardReasonHangup{}, 65), "Voice call from Ann ended after 1:05."},
		{"long video call", call(true, &tg.PhoneCallDiscardReasonHangup{}, 3725), "Video call from Ann ended after 1:02:05."},
		{"cancelled call", call(false, &tg.PhoneCallDiscardReasonHangup{}, 0), "Voice call from Ann was cancelled."},
		{"cut off call", call(false, &tg.PhoneCallDiscardReasonDisconnect{}, 30), "Voice call from Ann was cut off after 0:30."},
		{"failed call", call(false, &tg.PhoneCallDiscardReasonDisconnect{}, 0), "Voice call from Ann could not connect."},
		{"call without reason", call(false, nil, 12), "Voice call from Ann ended after 0:12."},
		{"signed up", &tg.MessageActionContactSignUp{}, "Ann joined Telegram."},
		{"custom action", &tg.MessageActionCustomAction{Message: "Ann did something"}, "Ann did something"},
		{"auto-delete on", &tg.MessageActionSetMessagesTTL{Period: 86400}, "Ann set messages to auto-delete after 1 day."},
		{"auto-delete weeks", &tg.MessageActionSetMessagesTTL{Period: 14 * 86400}, "Ann set messages to auto-delete after 2 weeks."},
		{"auto-delete odd", &tg.MessageActionSetMessagesTTL{Period: 90}, "Ann set messages to auto-delete after 90 seconds."},
		{"auto-delete off", &tg.MessageActionSetMessagesTTL{}, "Ann turned off auto-delete."},
		{"video chat started", &tg.MessageActionGroupCall{Call: &tg.InputGroupCall{}}, "Ann started a video chat."},
		{"video chat ended", ended, "Ann ended the video chat (1:35)."},
		{"video chat scheduled", &tg.MessageActionGroupCallScheduled{Call: &tg.InputGroupCall{}, ScheduleDate: 1700000000},
			"Ann scheduled a video chat for 14 Nov 2023 22:13 UTC."},
		{"theme", &tg.MessageActionSetChatTheme{}, "Ann changed the chat theme."},
		{"wallpaper", &tg.MessageActionSetChatWallPaper{}, "Ann changed the chat wallpaper."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ServiceNotice(tt.action, "Ann")
			if !ok || got != tt.want {
				t.Errorf("got %q (shown: %v), want %q", got, ok, tt.want)
			}
		})
	}
	// Actions that change room state elsewhere, or that the bridge does not show.
	for _, action := range []tg.MessageActionClass{
		nil, &tg.MessageActionEmpty{}, &tg.MessageActionPinMessage{}, &tg.MessageActionChatEditPhoto{},
		&tg.MessageActionCustomAction{Message: "  "}, &tg.MessageActionBotAllowed{}, &tg.MessageActionTopicCreate{Title: "t"},
	} {
		if got, ok := ServiceNotice(action, "Ann"); ok {
			t.Errorf("%T: got notice %q, want none", action, got)
		}
	}
}

func TestClockAndPeriod(t *testing.T) {
	for in, want := range map[int]string{0: "0:00", 9: "0:09", 600: "10:00", 3600: "1:00:00", -5: "0:00"} {
		if got := clock(in); got != want {
			t.Errorf("clock(%d) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[int]string{1: "1 second", 60: "1 minute", 7200: "2 hours", 604800: "1 week", 2678400: "1 month", 86401: "86401 seconds"} {
		if got := period(in); got != want {
			t.Errorf("period(%d) = %q, want %q", in, got, want)
		}
	}
}

// FuzzServiceNotice feeds arbitrary TL-encoded service actions to the converter: it must never
// panic, and a notice it returns must have text.
func FuzzServiceNotice(f *testing.F) {
	call := &tg.MessageActionPhoneCall{Video: true, CallID: 3}
	call.SetReason(&tg.PhoneCallDiscardReasonHangup{})
	call.SetDuration(61)
	for _, seed := range []tg.MessageActionClass{
		&tg.MessageActionChatCreate{Title: "t", Users: []int64{1}},
		&tg.MessageActionScreenshotTaken{},
		&tg.MessageActionGameScore{GameID: 1, Score: 2},
		call,
		&tg.MessageActionSetMessagesTTL{Period: 3600},
		&tg.MessageActionCustomAction{Message: "x"},
	} {
		addTL(f, seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		action, err := tg.DecodeMessageAction(&bin.Buffer{Buf: data})
		if err != nil {
			return
		}
		if text, ok := ServiceNotice(action, "Ann"); ok && strings.TrimSpace(text) == "" {
			t.Errorf("%T gave an empty notice", action)
		}
	})
}
