package connector

import (
	"testing"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

// channelWith builds a channel as Telegram describes it to the account.
func channelWith(broadcast, creator bool, admin *tg.ChatAdminRights, banned, defaultBanned *tg.ChatBannedRights) *tg.Channel {
	c := &tg.Channel{ID: 1, Broadcast: broadcast, Megagroup: !broadcast, Creator: creator}
	if admin != nil {
		c.SetAdminRights(*admin)
	}
	if banned != nil {
		c.SetBannedRights(*banned)
	}
	if defaultBanned != nil {
		c.SetDefaultBannedRights(*defaultBanned)
	}
	return c
}

func TestChannelRights(t *testing.T) {
	poster := &tg.ChatAdminRights{PostMessages: true}
	moderator := &tg.ChatAdminRights{DeleteMessages: true}
	mute := &tg.ChatBannedRights{SendMessages: true}
	tests := []struct {
		name      string
		ch        *tg.Channel
		post      bool
		level     int
		readOnly  bool // the room needs a level to write
		writerLvl int  // events_default of the room
	}{
		{"broadcast subscriber", channelWith(true, false, nil, nil, nil), false, 0, true, writerLevel},
		{"broadcast creator", channelWith(true, true, nil, nil, nil), true, groupCreatorLevel, true, writerLevel},
		{"broadcast admin who may post", channelWith(true, false, poster, nil, nil), true, groupAdminLevel, true, writerLevel},
		{"broadcast admin who may not post", channelWith(true, false, moderator, nil, nil), false, 0, true, writerLevel},
		{"supergroup member", channelWith(false, false, nil, nil, nil), true, 0, false, 0},
		{"supergroup member muted", channelWith(false, false, nil, mute, nil), false, 0, false, 0},
		{"read-only supergroup member", channelWith(false, false, nil, nil, mute), false, 0, true, writerLevel},
		{"read-only supergroup admin", channelWith(false, false, moderator, nil, mute), true, groupAdminLevel, true, writerLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := canPost(tt.ch); got != tt.post {
				t.Errorf("canPost = %v, want %v", got, tt.post)
			}
			if got := channelRoleLevel(tt.ch); got != tt.level {
				t.Errorf("channelRoleLevel = %d, want %d", got, tt.level)
			}
			pl := &event.PowerLevelsEventContent{}
			channelPowerLevels(tt.ch).Apply("", pl)
			if pl.EventsDefault != tt.writerLvl {
				t.Errorf("events_default = %d, want %d", pl.EventsDefault, tt.writerLvl)
			}
			if tt.readOnly {
				if pl.UsersDefault != writerLevel || pl.GetEventLevel(event.EventReaction) != 0 {
					t.Errorf("read-only room: users_default %d, reaction level %d; want ghosts to write and everyone to react",
						pl.UsersDefault, pl.GetEventLevel(event.EventReaction))
				}
				if tt.post != (tt.level >= writerLevel) {
					t.Errorf("account that may post=%v has level %d in a room that needs %d", tt.post, tt.level, writerLevel)
				}
			}
		})
	}
}
