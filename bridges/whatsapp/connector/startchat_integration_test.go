//go:build integration

package connector_test

import (
	"testing"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

func TestStartChatByPhone(t *testing.T) {
	s := login(t, "Ivo")
	friend := wafake.User(newPhone())
	net.AddUser(friend, "hi there")
	c := s.u.Cursor()
	command(t, s.u, s.management, "start-chat +"+friend.User, "")
	dm := s.u.WaitInvite(t, c, "an invite to the new chat", nil)
	s.u.Join(t, dm)
	net.DrainSent()
	s.u.SendText(t, dm, "found you")
	if got := sent(t); got.To != friend || got.Message.GetConversation() != "found you" {
		t.Errorf("sent %v to %s, want the text to %s", got.Message, got.To, friend)
	}
	command(t, s.u, s.management, "start-chat +"+newPhone(), "not on WhatsApp")
	command(t, s.u, s.management, "start-chat 12", "not a phone number")
}
