package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/telegram/updates"
	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"
)

// Telegram answers the account's own requests (a send, an edit, a delete, a read, a vote, a
// group change) with the updates they caused, numbered in the pts sequence they moved: the
// account's common one in private chats and basic groups, the channel's in supergroups and
// channels. The bridge hands every such answer to gotd's updates manager, so its pts stays
// current and the next update from Telegram is no gap that costs an updates.getDifference.

// absorbWait bounds how long handing an answer to the updates manager may take: its queues are
// short, and its handler may be waiting for the very portal the request came from.
const absorbWait = 5 * time.Second

// updatesManager is the updates manager of the live connection, or nil while disconnected.
func (tc *Client) updatesManager() *updates.Manager {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return tc.manager
}

// absorb hands the updates Telegram answered one of the account's requests with to the
// updates manager. The messages the request itself sent or changed in private chats and basic
// groups are in Matrix already: the manager gets them emptied (see withoutEchoes), so it counts
// their pts and the handlers find nothing to bridge a second time.
func (tc *Client) absorb(ctx context.Context, res tg.UpdatesClass) {
	manager := tc.updatesManager()
	if manager == nil || res == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, absorbWait)
	defer cancel()
	if err := manager.Handle(ctx, withoutEchoes(res)); err != nil {
		zerolog.Ctx(ctx).Debug().Err(err).Msg("Updates manager did not take a request's updates")
	}
}

// absorbAffected tells the updates manager about the pts a request moved that Telegram
// answered with messages.affectedMessages (deletes, reads): channelID is the supergroup or
// channel whose pts it is, 0 for the account's common pts (private chats and basic groups).
func (tc *Client) absorbAffected(ctx context.Context, channelID int64, res *tg.MessagesAffectedMessages) {
	manager := tc.updatesManager()
	if manager == nil || res == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, absorbWait)
	defer cancel()
	if err := manager.HandleAffected(ctx, channelID, res.Pts, res.PtsCount); err != nil {
		zerolog.Ctx(ctx).Debug().Err(err).Int64("chat_id", channelID).Msg("Updates manager did not take a request's pts")
	}
}

// withoutEchoes is an answer with the account's own new and edited messages of private chats
// and basic groups replaced by empty messages that keep their ID, chat and pts, as gotd itself
// turns updateShortSentMessage into an update of an empty message. Channel updates stay: the
// manager finds their channel in their message.
func withoutEchoes(res tg.UpdatesClass) tg.UpdatesClass {
	u, ok := res.(*tg.Updates)
	if !ok {
		return res
	}
	out := *u
	out.Updates = make([]tg.UpdateClass, 0, len(u.Updates))
	for _, upd := range u.Updates {
		switch upd := upd.(type) {
		case *tg.UpdateNewMessage:
			if isOwn(upd.Message) {
				c := *upd
				c.Message = emptied(upd.Message)
				out.Updates = append(out.Updates, &c)
				continue
			}
		case *tg.UpdateEditMessage:
			if isOwn(upd.Message) {
				out.Updates = append(out.Updates, &tg.UpdateEditMessage{Message: emptied(upd.Message), Pts: upd.Pts, PtsCount: upd.PtsCount})
				continue
			}
		}
		out.Updates = append(out.Updates, upd)
	}
	return &out
}

// isOwn says whether a message is one the account sent.
func isOwn(m tg.MessageClass) bool {
	switch m := m.(type) {
	case *tg.Message:
		return m.Out
	case *tg.MessageService:
		return m.Out
	}
	return false
}

// emptied is an empty message with m's ID and chat.
func emptied(m tg.MessageClass) *tg.MessageEmpty {
	e := &tg.MessageEmpty{ID: m.GetID()}
	if peer, ok := m.(interface{ GetPeerID() tg.PeerClass }); ok {
		e.SetPeerID(peer.GetPeerID())
	}
	return e
}

// dbUpdateState implements gotd's updates.StateStorage and ChannelAccessHasher on a login.
//
// When gotd's updates manager (telegram/updates, v0.162.0) stores a pts: it hands an update to
// the handler first (sequenceBox.Handle → applyPts → dispatch → our handlers) and calls SetPts
// only after the handler returned; a channel's worker does the same with SetChannelPts
// (channelState.applyPts). updates.getDifference dispatches the difference's messages (without
// their pts) and only then calls SetState with the difference's state; getChannelDifference
// likewise before SetChannelPts. A new channel gets SetChannelPts(pts − pts_count) before its
// first update is dispatched. So every update is in our handlers before its pts is stored.
//
// Our handlers queue their bridging on the chat's lane (handletg_lanes.go) and return at once,
// so the manager's pts runs ahead of Matrix. With wm set, SetPts, SetState and SetChannelPts
// record the value the manager wants, but store only what passes no update still on a lane
// (ptsWatermark); a finished update (release) lets the stored value catch up. A bridge killed
// meanwhile restarts from the stored pts and gets the unfinished updates again from
// getDifference; bridgev2 drops the messages it had already bridged (portal.go,
// handleRemoteMessage: "Ignoring duplicate message", by the remote message ID).
type dbUpdateState struct {
	*metaLock
	// wm holds the pts back while updates are on lanes; nil stores every value as asked.
	wm *ptsWatermark
}

var (
	_ updates.StateStorage        = (*dbUpdateState)(nil)
	_ updates.ChannelAccessHasher = (*dbUpdateState)(nil)
	_ updates.UserAccessHasher    = (*dbUpdateState)(nil)
)

// newHeldUpdateState is the update state of one connection, its watermark starting from what
// is stored.
func newHeldUpdateState(meta *metaLock) *dbUpdateState {
	s := &dbUpdateState{metaLock: meta, wm: newPtsWatermark()}
	st := s.read()
	if st.Known {
		s.wm.want(0, st.Pts)
	}
	for id, pts := range st.ChannelPts {
		s.wm.want(id, pts)
	}
	return s
}

// change edits the state under the lock and saves the login if f reports a change.
func (s *dbUpdateState) change(ctx context.Context, f func(st *UpdateState) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	meta := s.login.Metadata.(*LoginMetadata)
	if !f(&meta.Updates) {
		return nil
	}
	if err := s.login.Save(ctx); err != nil {
		return fmt.Errorf("save update state: %w", err)
	}
	return nil
}

// storable records that the manager wants pts stored for seq (0: the common sequence, else a
// channel) and returns what may be stored now. Call with the lock held.
func (s *dbUpdateState) storable(seq int64, pts int) (int, bool) {
	if s.wm == nil {
		return pts, true
	}
	return s.wm.want(seq, pts)
}

// setPts stores a pts of seq the watermark let through. Call with the lock held.
func setPts(st *UpdateState, seq int64, pts int) bool {
	if seq == 0 {
		if st.Pts == pts {
			return false
		}
		st.Pts = pts
		return true
	}
	if old, ok := st.ChannelPts[seq]; ok && old == pts {
		return false
	}
	// Copy on write: whoever serialises the metadata meanwhile keeps reading the old map.
	st.ChannelPts = with(st.ChannelPts, seq, pts)
	return true
}

// hold keeps the pts of seq from passing an update that is handed to a lane (see ptsWatermark.hold).
func (s *dbUpdateState) hold(seq int64, pts, count int) ptsHold {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wm.hold(seq, pts, count)
}

// release finishes a held update and stores the pts it let through.
func (s *dbUpdateState) release(ctx context.Context, h ptsHold) error {
	return s.change(ctx, func(st *UpdateState) bool {
		pts, ok := s.wm.release(h)
		return ok && setPts(st, h.seq, pts)
	})
}

// changeDate edits the state under the lock and saves the login only when more than the date
// changed. Telegram finds what a login missed by its pts (and qts and seq), not by the date:
// a date that moved alone (every connect's empty difference moves it) is saved with the
// login's next save, which spares a thousand logins a database write each on every start.
func (s *dbUpdateState) changeDate(ctx context.Context, f func(st *UpdateState)) error {
	return s.change(ctx, func(st *UpdateState) bool {
		before := *st
		f(st)
		return st.Pts != before.Pts || st.Qts != before.Qts || st.Seq != before.Seq || st.Known != before.Known
	})
}

func (s *dbUpdateState) read() UpdateState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.login.Metadata.(*LoginMetadata).Updates
}

func (s *dbUpdateState) GetState(_ context.Context, _ int64) (updates.State, bool, error) {
	st := s.read()
	return updates.State{Pts: st.Pts, Qts: st.Qts, Date: st.Date, Seq: st.Seq}, st.Known, nil
}

func (s *dbUpdateState) SetState(ctx context.Context, _ int64, state updates.State) error {
	return s.change(ctx, func(st *UpdateState) bool {
		if pts, ok := s.storable(0, state.Pts); ok {
			st.Pts, st.Known = pts, true
		}
		st.Qts, st.Date, st.Seq = state.Qts, state.Date, state.Seq
		return true
	})
}

func (s *dbUpdateState) SetPts(ctx context.Context, _ int64, pts int) error {
	return s.change(ctx, func(st *UpdateState) bool {
		stored, ok := s.storable(0, pts)
		return ok && setPts(st, 0, stored)
	})
}

func (s *dbUpdateState) SetQts(ctx context.Context, _ int64, qts int) error {
	return s.change(ctx, func(st *UpdateState) bool { st.Qts = qts; return true })
}

func (s *dbUpdateState) SetDate(ctx context.Context, _ int64, date int) error {
	return s.changeDate(ctx, func(st *UpdateState) { st.Date = date })
}

func (s *dbUpdateState) SetSeq(ctx context.Context, _ int64, seq int) error {
	return s.change(ctx, func(st *UpdateState) bool { st.Seq = seq; return true })
}

func (s *dbUpdateState) SetDateSeq(ctx context.Context, _ int64, date, seq int) error {
	return s.changeDate(ctx, func(st *UpdateState) { st.Date, st.Seq = date, seq })
}

func (s *dbUpdateState) GetChannelPts(_ context.Context, _, channelID int64) (int, bool, error) {
	pts, ok := s.read().ChannelPts[channelID]
	return pts, ok, nil
}

func (s *dbUpdateState) SetChannelPts(ctx context.Context, _, channelID int64, pts int) error {
	return s.change(ctx, func(st *UpdateState) bool {
		stored, ok := s.storable(channelID, pts)
		return ok && setPts(st, channelID, stored)
	})
}

func (s *dbUpdateState) ForEachChannels(ctx context.Context, _ int64, f func(ctx context.Context, channelID int64, pts int) error) error {
	for id, pts := range s.read().ChannelPts {
		if err := f(ctx, id, pts); err != nil {
			return err
		}
	}
	return nil
}

func (s *dbUpdateState) GetChannelAccessHash(_ context.Context, _, channelID int64) (int64, bool, error) {
	hash, ok := s.read().ChannelHashes[channelID]
	return hash, ok, nil
}

func (s *dbUpdateState) SetChannelAccessHash(ctx context.Context, _, channelID, accessHash int64) error {
	return s.change(ctx, func(st *UpdateState) bool {
		st.ChannelHashes = with(st.ChannelHashes, channelID, accessHash)
		return true
	})
}

func (s *dbUpdateState) GetUserAccessHash(_ context.Context, _, userID int64) (int64, bool, error) {
	hash, ok := s.read().UserHashes[userID]
	return hash, ok, nil
}

func (s *dbUpdateState) SetUserAccessHash(ctx context.Context, _, userID, accessHash int64) error {
	return s.change(ctx, func(st *UpdateState) bool {
		st.UserHashes = with(st.UserHashes, userID, accessHash)
		return true
	})
}

// storedUserHash is the access hash the updates manager stored for a user.
func (tc *Client) storedUserHash(userID int64) int64 {
	return (&dbUpdateState{metaLock: tc.metaMu}).read().UserHashes[userID]
}

// with is a copy of m with key set to value.
func with[V any](m map[int64]V, key int64, value V) map[int64]V {
	out := make(map[int64]V, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[key] = value
	return out
}
