package tgconv

import (
	"fmt"
	"strings"
	"time"

	"github.com/gotd/td/tg"
)

// ServiceNotice is the text of the notice that shows a Telegram service action in Matrix, with
// actor the name of who performed it. ok is false for actions that are not shown as notices.
func ServiceNotice(action tg.MessageActionClass, actor string) (text string, ok bool) {
	switch a := action.(type) {
	case *tg.MessageActionChatCreate:
		return fmt.Sprintf("%s created the group %q.", actor, a.Title), true
	case *tg.MessageActionChannelCreate:
		return fmt.Sprintf("%s created the channel %q.", actor, a.Title), true
	case *tg.MessageActionChatMigrateTo:
		return fmt.Sprintf("%s upgraded this group to a supergroup.", actor), true
	case *tg.MessageActionChannelMigrateFrom:
		return fmt.Sprintf("This supergroup was upgraded from the group %q.", a.Title), true
	case *tg.MessageActionHistoryClear:
		return fmt.Sprintf("%s cleared the chat history.", actor), true
	case *tg.MessageActionScreenshotTaken:
		return fmt.Sprintf("%s took a screenshot of the chat.", actor), true
	case *tg.MessageActionGameScore:
		return fmt.Sprintf("%s scored %d in a game.", actor, a.Score), true
	case *tg.MessageActionPhoneCall:
		return callNotice(a, actor), true
	case *tg.MessageActionContactSignUp:
		return fmt.Sprintf("%s joined Telegram.", actor), true
	case *tg.MessageActionCustomAction:
		return a.Message, strings.TrimSpace(a.Message) != ""
	case *tg.MessageActionSetMessagesTTL:
		if a.Period <= 0 {
			return fmt.Sprintf("%s turned off auto-delete.", actor), true
		}
		return fmt.Sprintf("%s set messages to auto-delete after %s.", actor, period(a.Period)), true
	case *tg.MessageActionGroupCall:
		if d, ok := a.GetDuration(); ok {
			return fmt.Sprintf("%s ended the video chat (%s).", actor, clock(d)), true
		}
		return fmt.Sprintf("%s started a video chat.", actor), true
	case *tg.MessageActionGroupCallScheduled:
		when := time.Unix(int64(a.ScheduleDate), 0).UTC().Format("2 Jan 2006 15:04 UTC")
		return fmt.Sprintf("%s scheduled a video chat for %s.", actor, when), true
	case *tg.MessageActionSetChatTheme:
		return fmt.Sprintf("%s changed the chat theme.", actor), true
	case *tg.MessageActionSetChatWallPaper:
		return fmt.Sprintf("%s changed the chat wallpaper.", actor), true
	}
	return "", false
}

// callNotice describes a finished call: missed, declined, cancelled or how long it lasted.
func callNotice(a *tg.MessageActionPhoneCall, caller string) string {
	kind := "Voice call"
	if a.Video {
		kind = "Video call"
	}
	duration, _ := a.GetDuration()
	switch a.Reason.(type) {
	case *tg.PhoneCallDiscardReasonMissed:
		return fmt.Sprintf("Missed %s from %s.", strings.ToLower(kind), caller)
	case *tg.PhoneCallDiscardReasonBusy:
		return fmt.Sprintf("%s from %s was declined.", kind, caller)
	case *tg.PhoneCallDiscardReasonDisconnect:
		if duration > 0 {
			return fmt.Sprintf("%s from %s was cut off after %s.", kind, caller, clock(duration))
		}
		return fmt.Sprintf("%s from %s could not connect.", kind, caller)
	}
	if duration > 0 {
		return fmt.Sprintf("%s from %s ended after %s.", kind, caller, clock(duration))
	}
	return fmt.Sprintf("%s from %s was cancelled.", kind, caller)
}

// clock writes a duration in seconds as m:ss or h:mm:ss.
func clock(seconds int) string {
	seconds = max(seconds, 0)
	h, m, s := seconds/3600, seconds/60%60, seconds%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// period writes an auto-delete period in seconds in the largest whole unit people use for it.
func period(seconds int) string {
	units := []struct {
		name string
		secs int
	}{{"month", 31 * 86400}, {"week", 7 * 86400}, {"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}}
	for _, u := range units {
		if seconds >= u.secs && seconds%u.secs == 0 {
			n := seconds / u.secs
			if n == 1 {
				return "1 " + u.name
			}
			return fmt.Sprintf("%d %ss", n, u.name)
		}
	}
	return fmt.Sprintf("%d seconds", seconds)
}
