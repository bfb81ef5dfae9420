package tgfake

import (
	"context"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
)

// TestSeededSessionsAreLoggedIn checks that a gotd client with a session from LoginSession or
// SeedSession is its account: it connects without a key exchange and users.getUsers answers
// with the account, which the fake only does for a bound auth key.
func TestSeededSessionsAreLoggedIn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	for _, tt := range []struct {
		name, phone string
		make        func(context.Context, *Account) ([]byte, error)
	}{
		{"login", "15550000001", n.LoginSession},
		{"seed", "15550000002", n.SeedSession},
		{"second seed", "15550000003", n.SeedSession},
	} {
		t.Run(tt.name, func(t *testing.T) {
			acct := n.AddAccount("Ana "+tt.name, tt.phone, "24680")
			data, err := tt.make(ctx, acct)
			if err != nil {
				t.Fatal(err)
			}
			var keys []telegram.PublicKey
			for _, k := range n.cluster.Keys() {
				keys = append(keys, telegram.PublicKey{RSA: k.RSA})
			}
			storage := &session.StorageMemory{}
			if err = storage.StoreSession(ctx, data); err != nil {
				t.Fatal(err)
			}
			client := telegram.NewClient(1, "fake", telegram.Options{SessionStorage: storage, NoUpdates: true,
				DC: DCID, DCList: n.cluster.List(), PublicKeys: keys, Resolver: dcs.Plain(dcs.PlainOptions{})})
			err = client.Run(ctx, func(ctx context.Context) error {
				self, err := client.Self(ctx)
				if err != nil {
					return err
				}
				if self.ID != acct.User.ID {
					t.Errorf("self is %d, want %d", self.ID, acct.User.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
