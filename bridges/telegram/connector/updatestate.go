package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/telegram/updates"
)

// dbUpdateState implements gotd's updates.StateStorage and ChannelAccessHasher on a login.
type dbUpdateState struct{ *metaLock }

var (
	_ updates.StateStorage        = (*dbUpdateState)(nil)
	_ updates.ChannelAccessHasher = (*dbUpdateState)(nil)
	_ updates.UserAccessHasher    = (*dbUpdateState)(nil)
)

// change edits the state under the lock and saves the login.
func (s *dbUpdateState) change(ctx context.Context, f func(st *UpdateState)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	meta := s.login.Metadata.(*LoginMetadata)
	f(&meta.Updates)
	if err := s.login.Save(ctx); err != nil {
		return fmt.Errorf("save update state: %w", err)
	}
	return nil
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
	return s.change(ctx, func(st *UpdateState) {
		st.Pts, st.Qts, st.Date, st.Seq, st.Known = state.Pts, state.Qts, state.Date, state.Seq, true
	})
}

func (s *dbUpdateState) SetPts(ctx context.Context, _ int64, pts int) error {
	return s.change(ctx, func(st *UpdateState) { st.Pts = pts })
}

func (s *dbUpdateState) SetQts(ctx context.Context, _ int64, qts int) error {
	return s.change(ctx, func(st *UpdateState) { st.Qts = qts })
}

func (s *dbUpdateState) SetDate(ctx context.Context, _ int64, date int) error {
	return s.change(ctx, func(st *UpdateState) { st.Date = date })
}

func (s *dbUpdateState) SetSeq(ctx context.Context, _ int64, seq int) error {
	return s.change(ctx, func(st *UpdateState) { st.Seq = seq })
}

func (s *dbUpdateState) SetDateSeq(ctx context.Context, _ int64, date, seq int) error {
	return s.change(ctx, func(st *UpdateState) { st.Date, st.Seq = date, seq })
}

func (s *dbUpdateState) GetChannelPts(_ context.Context, _, channelID int64) (int, bool, error) {
	pts, ok := s.read().ChannelPts[channelID]
	return pts, ok, nil
}

func (s *dbUpdateState) SetChannelPts(ctx context.Context, _, channelID int64, pts int) error {
	return s.change(ctx, func(st *UpdateState) {
		// Copy on write: whoever serialises the metadata meanwhile keeps reading the old map.
		st.ChannelPts = with(st.ChannelPts, channelID, pts)
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
	return s.change(ctx, func(st *UpdateState) {
		st.ChannelHashes = with(st.ChannelHashes, channelID, accessHash)
	})
}

func (s *dbUpdateState) GetUserAccessHash(_ context.Context, _, userID int64) (int64, bool, error) {
	hash, ok := s.read().UserHashes[userID]
	return hash, ok, nil
}

func (s *dbUpdateState) SetUserAccessHash(ctx context.Context, _, userID, accessHash int64) error {
	return s.change(ctx, func(st *UpdateState) {
		st.UserHashes = with(st.UserHashes, userID, accessHash)
	})
}

// storedUserHash is the access hash the updates manager stored for a user.
func (tc *Client) storedUserHash(userID int64) int64 {
	return (&dbUpdateState{tc.metaMu}).read().UserHashes[userID]
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
