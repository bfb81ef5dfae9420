package connector

import (
	"fmt"

	"github.com/gotd/td/crypto"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
)

// serverOptions are the connection settings for a custom cluster (zero value: Telegram's).
type serverOptions struct {
	DCList     dcs.List
	PublicKeys []telegram.PublicKey
	custom     bool
}

// options parses the servers section.
func (s Servers) options() (serverOptions, error) {
	if len(s.DCs) == 0 {
		return serverOptions{}, nil
	}
	out := serverOptions{custom: true}
	for _, dc := range s.DCs {
		if dc.ID <= 0 || dc.Host == "" || dc.Port <= 0 || dc.Port > 65535 {
			return out, fmt.Errorf("network.servers.dcs: invalid data centre %+v (want id, host and port)", dc)
		}
		out.DCList.Options = append(out.DCList.Options, tg.DCOption{ID: dc.ID, IPAddress: dc.Host, Port: dc.Port})
	}
	for i, pem := range s.PublicKeys {
		keys, err := crypto.ParseRSAPublicKeys([]byte(pem))
		switch {
		case err != nil:
			return out, fmt.Errorf("network.servers.public_keys[%d]: not a PEM RSA public key: %w", i, err)
		case len(keys) == 0:
			return out, fmt.Errorf("network.servers.public_keys[%d]: not a PEM RSA public key: no key in it", i)
		}
		for _, k := range keys {
			out.PublicKeys = append(out.PublicKeys, telegram.PublicKey{RSA: k})
		}
	}
	return out, nil
}

// apply puts the custom cluster into client options.
func (o serverOptions) apply(opts *telegram.Options) {
	if !o.custom {
		return
	}
	opts.DCList = o.DCList
	opts.PublicKeys = o.PublicKeys
	opts.Resolver = dcs.Plain(dcs.PlainOptions{})
	opts.DC = o.DCList.Options[0].ID
}
