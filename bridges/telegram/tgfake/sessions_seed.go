package tgfake

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/gotd/td/crypto"
	"github.com/gotd/td/session"
)

// SeedSession returns a logged-in session for acct as LoginSession does, without the key
// exchange: the client's half of it (gotd checks that the DH prime is a safe prime and
// factors pq) costs most of a CPU second, too much for a fleet of a thousand logins. The
// fake makes a random auth key, hands it to gotd's test server as a finished exchange would,
// and binds it to the account as auth.signIn does; the rest of the session (config, address,
// salt) is that of one real login the fake made first. A bridge connecting with it does what
// it does after a restart: no exchange, straight to its first requests.
func (n *Network) SeedSession(ctx context.Context, acct *Account) ([]byte, error) {
	template, err := n.sessionTemplate(ctx)
	if err != nil {
		return nil, err
	}
	var key crypto.Key
	if _, err = rand.Read(key[:]); err != nil {
		return nil, fmt.Errorf("make auth key: %w", err)
	}
	authKey := key.WithID()
	if err = n.addAuthKey(authKey); err != nil {
		return nil, err
	}
	n.mu.Lock()
	n.bound[authKey.ID] = acct.User.ID
	n.mu.Unlock()
	data := template
	data.AuthKey, data.AuthKeyID = authKey.Value[:], authKey.ID[:]
	out, err := json.Marshal(struct {
		Version int
		Data    session.Data
	}{Version: 1, Data: data})
	if err != nil {
		return nil, fmt.Errorf("encode session: %w", err)
	}
	return out, nil
}

// sessionTemplate logs a throwaway account in once, over real MTProto, and keeps its session.
func (n *Network) sessionTemplate(ctx context.Context) (session.Data, error) {
	n.templateMu.Lock()
	defer n.templateMu.Unlock()
	if n.template != nil {
		return *n.template, nil
	}
	acct := n.AddAccount("Session template", "19990000000", "11111")
	raw, err := n.LoginSession(ctx, acct)
	if err != nil {
		return session.Data{}, fmt.Errorf("make session template: %w", err)
	}
	loaded, err := (&session.Loader{Storage: &memStorage{raw}}).Load(ctx)
	if err != nil {
		return session.Data{}, fmt.Errorf("read session template: %w", err)
	}
	n.template = loaded
	return *loaded, nil
}

// addAuthKey adds key to the auth keys gotd's test server accepts, the map its key exchange
// fills (tgtest keeps it unexported: reached by reflection, for gotd's version in go.mod).
func (n *Network) addAuthKey(key crypto.AuthKey) error {
	users := reflect.ValueOf(n.server).Elem().FieldByName("users")
	if !users.IsValid() || users.Kind() != reflect.Pointer || users.IsNil() {
		return fmt.Errorf("add auth key: gotd's tgtest.Server has no users field any more")
	}
	store := users.Elem()
	sessions, mux := store.FieldByName("sessions"), store.FieldByName("sessionsMux")
	if !sessions.IsValid() || sessions.Type() != reflect.TypeOf(map[[8]byte]crypto.AuthKey{}) ||
		!mux.IsValid() || mux.Type() != reflect.TypeOf(sync.Mutex{}) {
		return fmt.Errorf("add auth key: gotd's tgtest session store changed")
	}
	m := *(*map[[8]byte]crypto.AuthKey)(unsafe.Pointer(sessions.UnsafeAddr()))
	lock := (*sync.Mutex)(unsafe.Pointer(mux.UnsafeAddr()))
	lock.Lock()
	m[key.ID] = key
	lock.Unlock()
	return nil
}

// memStorage is a session.Storage over bytes in hand.
type memStorage struct{ data []byte }

func (s *memStorage) LoadSession(context.Context) ([]byte, error) { return s.data, nil }

func (s *memStorage) StoreSession(_ context.Context, data []byte) error {
	s.data = data
	return nil
}
