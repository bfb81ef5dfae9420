package tgfake

import (
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgtest"
)

// loggedUpdate is an update kept for updates.getDifference.
type loggedUpdate struct {
	pts    int
	update tg.UpdateClass
	users  []tg.UserClass
}

// assignPts numbers the pts-carrying updates for an account and keeps them. Callers hold n.mu.
func (n *Network) assignPts(account int64, users []tg.UserClass, updates []tg.UpdateClass) {
	if n.pts == nil {
		n.pts = map[int64]int{}
		n.ptsLog = map[int64][]loggedUpdate{}
	}
	for _, u := range updates {
		var count int
		switch u := u.(type) {
		case *tg.UpdateNewMessage:
			count = max(u.PtsCount, 1)
			n.pts[account] += count
			u.Pts, u.PtsCount = n.pts[account], count
		case *tg.UpdateEditMessage:
			count = 1
			n.pts[account]++
			u.Pts, u.PtsCount = n.pts[account], 1
		case *tg.UpdateDeleteMessages:
			count = len(u.Messages)
			n.pts[account] += count
			u.Pts, u.PtsCount = n.pts[account], count
		case *tg.UpdatePinnedMessages:
			count = max(u.PtsCount, 1)
			n.pts[account] += count
			u.Pts, u.PtsCount = n.pts[account], count
		case *tg.UpdateReadHistoryOutbox:
			count = 1
			n.pts[account]++
			u.Pts, u.PtsCount = n.pts[account], 1
		case *tg.UpdateReadHistoryInbox:
			count = 1
			n.pts[account]++
			u.Pts, u.PtsCount = n.pts[account], 1
		default:
			continue // no pts: typing, status, login tokens are not replayed
		}
		n.ptsLog[account] = append(n.ptsLog[account], loggedUpdate{pts: n.pts[account], update: u, users: users})
	}
}

// own numbers an update of something the account did itself in a private chat or basic group
// (a send, an edit, a delete, a read), as Telegram numbers it in the account's common pts
// sequence, and keeps it for getDifference like a received one. It returns the update's pts
// and pts_count, which Telegram puts in its answer to the request. Callers hold n.mu.
func (n *Network) own(account int64, users []tg.UserClass, u tg.UpdateClass) (pts, count int) {
	n.assignPts(account, users, []tg.UpdateClass{u})
	pts, count, _ = tg.IsPtsUpdate(u)
	return pts, count
}

// DifferenceCalls is how many times the account asked for updates.getDifference: a client
// that applies the pts of its own requests' answers asks only after real gaps.
func (n *Network) DifferenceCalls(acct *Account) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.diffCalls[acct.User.ID]
}

// getDifference answers with every logged update after the client's pts.
func (n *Network) getDifference(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.UpdatesGetDifferenceRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	if n.diffCalls == nil {
		n.diffCalls = map[int64]int{}
	}
	n.diffCalls[me.ID]++
	current := n.pts[me.ID]
	var newMessages []tg.MessageClass
	var other []tg.UpdateClass
	users := map[int64]tg.UserClass{}
	for _, l := range n.ptsLog[me.ID] {
		if l.pts <= r.Pts {
			continue
		}
		if nm, ok := l.update.(*tg.UpdateNewMessage); ok {
			newMessages = append(newMessages, nm.Message)
		} else {
			other = append(other, l.update)
		}
		for _, u := range l.users {
			if user, ok := u.(*tg.User); ok {
				users[user.ID] = user
			}
		}
	}
	n.mu.Unlock()
	now := int(time.Now().Unix())
	if len(newMessages) == 0 && len(other) == 0 {
		return s.SendResult(req, &tg.UpdatesDifferenceEmpty{Date: now, Seq: 0})
	}
	diff := &tg.UpdatesDifference{
		NewMessages:  newMessages,
		OtherUpdates: other,
		State:        tg.UpdatesState{Pts: current, Date: now},
	}
	for _, u := range users {
		diff.Users = append(diff.Users, u)
	}
	return s.SendResult(req, diff)
}
