package connector

import (
	"testing"

	"github.com/gotd/td/tg"
)

// TestWithoutEchoes: the account's own messages of private chats and basic groups reach the
// updates manager emptied but with their pts; everything else of an answer is left alone.
func TestWithoutEchoes(t *testing.T) {
	peer := &tg.PeerUser{UserID: 7}
	own := &tg.Message{ID: 5, Out: true, PeerID: peer, Message: "mine"}
	theirs := &tg.Message{ID: 6, PeerID: peer, Message: "theirs"}
	edited := &tg.MessageService{ID: 8, Out: true, PeerID: &tg.PeerChat{ChatID: 3}, Action: &tg.MessageActionChatEditTitle{Title: "t"}}
	inChannel := &tg.Message{ID: 9, Out: true, PeerID: &tg.PeerChannel{ChannelID: 4}}
	in := &tg.Updates{Date: 100, Updates: []tg.UpdateClass{
		&tg.UpdateMessageID{ID: 5, RandomID: 1},
		&tg.UpdateNewMessage{Message: own, Pts: 10, PtsCount: 1},
		&tg.UpdateNewMessage{Message: theirs, Pts: 11, PtsCount: 1},
		&tg.UpdateEditMessage{Message: edited, Pts: 12, PtsCount: 1},
		&tg.UpdateNewChannelMessage{Message: inChannel, Pts: 3, PtsCount: 1},
	}}
	out, ok := withoutEchoes(in).(*tg.Updates)
	if !ok || len(out.Updates) != len(in.Updates) || out.Date != 100 {
		t.Fatalf("withoutEchoes = %#v", out)
	}
	for i, want := range []struct {
		emptied bool
		pts     int
	}{{false, 0}, {true, 10}, {false, 11}, {true, 12}, {false, 3}} {
		u := out.Updates[i]
		pts, _, _ := tg.IsPtsUpdate(u)
		if _, channelPts, _, ok, _ := tg.IsChannelPtsUpdate(u); ok {
			pts = channelPts
		}
		empty, isEmpty := messageOf(u).(*tg.MessageEmpty)
		if isEmpty != want.emptied || pts != want.pts {
			t.Errorf("update %d = %#v, want emptied %v with pts %d", i, u, want.emptied, want.pts)
		}
		if isEmpty {
			if p, _ := empty.GetPeerID(); p == nil || empty.ID != messageOf(in.Updates[i]).GetID() {
				t.Errorf("update %d: the empty message lost its ID or chat: %#v", i, empty)
			}
		}
	}
	if _, ok := in.Updates[1].(*tg.UpdateNewMessage).Message.(*tg.Message); !ok {
		t.Error("withoutEchoes changed the answer it was given")
	}
	short := &tg.UpdateShortSentMessage{ID: 5, Pts: 10, PtsCount: 1}
	if withoutEchoes(short) != short {
		t.Error("withoutEchoes changed an updateShortSentMessage")
	}
}

// messageOf is the message a message update carries, or nil.
func messageOf(u tg.UpdateClass) tg.MessageClass {
	switch u := u.(type) {
	case *tg.UpdateNewMessage:
		return u.Message
	case *tg.UpdateEditMessage:
		return u.Message
	case *tg.UpdateNewChannelMessage:
		return u.Message
	}
	return nil
}
