package connector

import (
	"context"
	"fmt"
	"sync"

	"github.com/gotd/td/session"
	"maunium.net/go/mautrix/bridgev2"
)

// metaLock serialises every change of a login's metadata (the MTProto session and the update
// state are written from different goroutines) and its saving.
type metaLock struct {
	mu    sync.Mutex
	login *bridgev2.UserLogin
}

// dbSession keeps a login's MTProto session in the bridge database, with the login.
type dbSession struct{ *metaLock }

var _ session.Storage = (*dbSession)(nil)

func (s *dbSession) LoadSession(context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	meta := s.login.Metadata.(*LoginMetadata)
	if len(meta.Session) == 0 {
		return nil, session.ErrNotFound
	}
	return append([]byte(nil), meta.Session...), nil
}

func (s *dbSession) StoreSession(ctx context.Context, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login.Metadata.(*LoginMetadata).Session = append([]byte(nil), data...)
	if err := s.login.Save(ctx); err != nil {
		return fmt.Errorf("save telegram session: %w", err)
	}
	return nil
}
