package connector

import (
	"bytes"
	"context"
	"encoding/json"
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

// StoreSession keeps the session gotd hands over on every connect. It writes the login only
// when the auth key or data centre changed: otherwise only the server salt and the config
// moved, which go with the login's next save (a restart before that costs one
// bad_server_salt round trip), sparing every login a database write on every start.
func (s *dbSession) StoreSession(ctx context.Context, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	meta := s.login.Metadata.(*LoginMetadata)
	same := sameKey(meta.Session, data)
	meta.Session = append([]byte(nil), data...)
	if same {
		return nil
	}
	if err := s.login.Save(ctx); err != nil {
		return fmt.Errorf("save telegram session: %w", err)
	}
	return nil
}

// sessionKey is the part of gotd's serialised session that says which account and where.
type sessionKey struct {
	Data struct {
		DC        int
		Addr      string
		AuthKey   []byte
		AuthKeyID []byte
	}
}

// sameKey reports whether two serialised sessions have the same auth key and data centre.
func sameKey(a, b []byte) bool {
	var ka, kb sessionKey
	if len(a) == 0 || json.Unmarshal(a, &ka) != nil || json.Unmarshal(b, &kb) != nil || len(ka.Data.AuthKey) == 0 {
		return false
	}
	return ka.Data.DC == kb.Data.DC && ka.Data.Addr == kb.Data.Addr &&
		bytes.Equal(ka.Data.AuthKey, kb.Data.AuthKey) && bytes.Equal(ka.Data.AuthKeyID, kb.Data.AuthKeyID)
}
