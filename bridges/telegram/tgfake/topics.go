package tgfake

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
)

// AddForum creates a supergroup with forum topics.
func (n *Network) AddForum(title string, creator *tg.User, members ...*tg.User) *tg.Channel {
	ch := n.addChannel(title, "", false, creator, members)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.channels[ch.ID].ch.Forum = true
	n.channels[ch.ID].ch.SetFlags()
	return n.channels[ch.ID].ch
}

// DeliverTopic makes from open a topic in a forum. The topic's ID is that of its service message.
func (n *Network) DeliverTopic(ctx context.Context, ch *tg.Channel, from *tg.User, title string) (int, error) {
	fc, u := n.addTopic(ch, from, title)
	if err := n.pushChannel(ctx, fc, 0, []tg.UserClass{from}, u); err != nil {
		return 0, fmt.Errorf("open topic in %d: %w", ch.ID, err)
	}
	return u.Message.GetID(), nil
}

// AddTopicHistory opens a topic without telling anyone, as if before the bridge was there.
func (n *Network) AddTopicHistory(ch *tg.Channel, from *tg.User, title string) int {
	_, u := n.addTopic(ch, from, title)
	return u.Message.GetID()
}

// AddTopicMessageHistory stores a message of a topic without telling anyone.
func (n *Network) AddTopicMessageHistory(ch *tg.Channel, from *tg.User, topic int, text string) int {
	msg := &tg.Message{Message: text, Date: int(time.Now().Unix()), FromID: &tg.PeerUser{UserID: from.ID}, ReplyTo: topicHeader(topic, 0)}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.channels[ch.ID].channelMessage(msg)
	return msg.ID
}

func (n *Network) addTopic(ch *tg.Channel, from *tg.User, title string) (*fakeChannel, *tg.UpdateNewChannelMessage) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fc := n.channels[ch.ID]
	fc.nextMsg++
	msg := &tg.MessageService{ID: fc.nextMsg, PeerID: &tg.PeerChannel{ChannelID: ch.ID}, FromID: &tg.PeerUser{UserID: from.ID},
		Date: int(time.Now().Unix()), Action: &tg.MessageActionTopicCreate{Title: title}}
	msg.SetFlags()
	return fc, fc.logMessage(msg)
}

// DeliverToTopic makes from write text in a forum topic, answering message replyTo of the
// topic (0: answering nothing). It returns the message ID.
func (n *Network) DeliverToTopic(ctx context.Context, ch *tg.Channel, from *tg.User, topic, replyTo int, text string) (int, error) {
	msg := &tg.Message{Message: text, Date: int(time.Now().Unix()), FromID: &tg.PeerUser{UserID: from.ID}, ReplyTo: topicHeader(topic, replyTo)}
	n.mu.Lock()
	fc := n.channels[ch.ID]
	u := fc.channelMessage(msg)
	n.mu.Unlock()
	if err := n.pushChannel(ctx, fc, 0, []tg.UserClass{from}, u); err != nil {
		return 0, fmt.Errorf("deliver to topic %d of %d: %w", topic, ch.ID, err)
	}
	return msg.ID, nil
}

// topicHeader is the reply header of a message in a topic: the topic itself when it answers
// nothing, else the message it answers with the topic as its top.
func topicHeader(topic, replyTo int) *tg.MessageReplyHeader {
	h := &tg.MessageReplyHeader{ForumTopic: true, ReplyToMsgID: topic}
	if replyTo != 0 && replyTo != topic {
		h.ReplyToMsgID = replyTo
		h.SetReplyToTopID(topic)
	}
	h.SetFlags()
	return h
}

// isTopic says whether message id opened a topic. Callers hold n.mu.
func (fc *fakeChannel) isTopic(id int) bool {
	for _, m := range fc.msgs {
		if s, ok := m.(*tg.MessageService); ok && s.ID == id {
			_, ok := s.Action.(*tg.MessageActionTopicCreate)
			return ok
		}
	}
	return false
}
