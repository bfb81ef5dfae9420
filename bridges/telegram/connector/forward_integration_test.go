//go:build integration

package connector_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// forwarded matches a message from sender whose body and HTML are exactly body and html.
func forwarded(sender id.UserID, body, html string) matrixtest.Match {
	return func(x matrixtest.Seen) bool {
		m := x.Event.Content.AsMessage()
		return x.Event.Type == event.EventMessage && x.Event.Sender == sender && m.Body == body && m.FormattedBody == html
	}
}

// TestForwardsFromTelegram: forwarded messages say where they came from — a user, a channel
// with the post's author, or a hidden name — named from the update's entities, with the day
// of an older original.
func TestForwardsFromTelegram(t *testing.T) {
	s := login(t, "Val")
	peer, portal, ghost, _, _ := chatWith(t, s, "Wes")
	ctx := context.Background()
	orig := net.AddUser("Olga", "Orr", "", newPhone())
	now := int(time.Now().Unix())
	news := &tg.Channel{ID: 880000 + orig.ID, AccessHash: 5, Title: "Daily News", Photo: &tg.ChatPhotoEmpty{}, Date: now}
	news.SetFlags()

	fromUser := tg.MessageFwdHeader{Date: now}
	fromUser.SetFromID(&tg.PeerUser{UserID: orig.ID})
	fromChannel := tg.MessageFwdHeader{Date: now - 3*86400}
	fromChannel.SetFromID(&tg.PeerChannel{ChannelID: news.ID})
	fromChannel.SetPostAuthor("Ed")
	hidden := tg.MessageFwdHeader{Date: now}
	hidden.SetFromName("Secret Sam")
	day := time.Unix(int64(now-3*86400), 0).UTC().Format("2 Jan 2006")

	tests := []struct {
		header     tg.MessageFwdHeader
		users      []*tg.User
		chats      []tg.ChatClass
		text       string
		body, html string
	}{
		{fromUser, []*tg.User{orig}, nil, "meet at 8",
			"Forwarded from Olga Orr:\nmeet at 8", "Forwarded from <b>Olga Orr</b>:<br>meet at 8"},
		{fromChannel, nil, []tg.ChatClass{news}, "rain <today>",
			"Forwarded from Daily News (Ed) (sent " + day + "):\nrain <today>",
			"Forwarded from <b>Daily News (Ed)</b> (sent " + day + "):<br>rain &lt;today&gt;"},
		{hidden, nil, nil, "psst", "Forwarded from Secret Sam:\npsst", "Forwarded from <b>Secret Sam</b>:<br>psst"},
	}
	for _, tt := range tests {
		c := s.u.Cursor()
		if _, err := net.DeliverForward(ctx, s.acct, peer, tt.text, tt.header, tt.users, tt.chats...); err != nil {
			t.Fatal(err)
		}
		s.u.WaitFor(t, portal, c, "the forward of "+strings.Fields(tt.text)[0], forwarded(ghost, tt.body, tt.html))
	}
}
