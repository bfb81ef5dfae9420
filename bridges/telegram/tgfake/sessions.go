package tgfake

import (
	"context"
	"fmt"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
)

// LoginSession logs acct in as a client app would, over real MTProto (key exchange,
// auth.sendCode, auth.signIn with the account's code), and returns the client's session as
// gotd serialises it: what a bridge stores with a login after the same steps, with an auth
// key this fake accepts for as long as it runs. Benchmarks seed a bridge's database with it
// instead of logging in through the bridge a thousand times.
func (n *Network) LoginSession(ctx context.Context, acct *Account) ([]byte, error) {
	if acct.Password != "" {
		return nil, fmt.Errorf("log in %s: accounts with a password are not supported here", acct.User.Phone)
	}
	var keys []telegram.PublicKey
	for _, k := range n.cluster.Keys() {
		keys = append(keys, telegram.PublicKey{RSA: k.RSA})
	}
	storage := &session.StorageMemory{}
	client := telegram.NewClient(1, "fake", telegram.Options{
		SessionStorage: storage,
		NoUpdates:      true,
		DC:             DCID,
		DCList:         n.cluster.List(),
		PublicKeys:     keys,
		Resolver:       dcs.Plain(dcs.PlainOptions{}),
	})
	err := client.Run(ctx, func(ctx context.Context) error {
		sent, err := client.Auth().SendCode(ctx, acct.User.Phone, auth.SendCodeOptions{})
		if err != nil {
			return fmt.Errorf("send code: %w", err)
		}
		code, ok := sent.(*tg.AuthSentCode)
		if !ok {
			return fmt.Errorf("send code: unexpected answer %T", sent)
		}
		if _, err = client.Auth().SignIn(ctx, acct.User.Phone, acct.Code, code.PhoneCodeHash); err != nil {
			return fmt.Errorf("sign in: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", acct.User.Phone, err)
	}
	data, err := storage.Bytes(nil)
	if err != nil {
		return nil, fmt.Errorf("read session of %s: %w", acct.User.Phone, err)
	}
	return data, nil
}
