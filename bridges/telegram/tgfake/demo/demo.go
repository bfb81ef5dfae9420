package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gotd/td/tg"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
)

// Defaults of [Options].
const (
	DefaultPhone    = "15550100000"
	DefaultCode     = "24680"
	DefaultInterval = 25 * time.Second
	// APIID and APIHash are what the bridge sends as its app credentials; the demo network,
	// like the fake it runs on, accepts any.
	APIID   = 12345
	APIHash = "0123456789abcdef0123456789abcdef"
)

// Options shape a demo network. Zero values take the defaults.
type Options struct {
	// Phone is the demo account's phone number, digits only (shown with a leading +).
	Phone string
	// Code is the login code the account accepts.
	Code string
	// Interval is the time between the group's and the channel's timed posts.
	Interval time.Duration
}

func (o Options) withDefaults() Options {
	if o.Phone == "" {
		o.Phone = DefaultPhone
	}
	if o.Code == "" {
		o.Code = DefaultCode
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	return o
}

// Demo is a running demo network.
type Demo struct {
	// Net is the fake Telegram it runs on.
	Net *tgfake.Network
	// Account is the account a newcomer logs in as.
	Account *tgfake.Account
	// Contacts are the account's contacts, who write to it and answer it.
	Contacts []*tg.User
	// Group is a supergroup of the account and the contacts; Channel a broadcast channel the
	// account subscribes to.
	Group, Channel *tg.Channel

	opts Options
	mu   sync.Mutex
	// posts counts timed posts, answers answers per contact (for varied answers).
	posts   int
	answers map[int64]int
}

// cast is who lives on the demo network.
var cast = []struct{ first, last, username, phone string }{
	{"Ada", "Lovelace", "ada_demo", "15550100001"},
	{"Alan", "Turing", "alan_demo", "15550100002"},
	{"Grace", "Hopper", "grace_demo", "15550100003"},
}

// Group and channel names.
const (
	GroupTitle   = "Demo Group"
	ChannelTitle = "Demo News"
	AccountName  = "Demo User"
)

// Start runs a demo network on loopback until ctx ends or Close is called. Call Run to make
// its people talk.
func Start(ctx context.Context, opts Options) (*Demo, error) {
	opts = opts.withDefaults()
	n, err := tgfake.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("start fake Telegram: %w", err)
	}
	d := &Demo{Net: n, opts: opts, answers: map[int64]int{}}
	d.Account = n.AddAccount(AccountName, opts.Phone, opts.Code)
	for _, c := range cast {
		u := n.AddUser(c.first, c.last, c.username, c.phone)
		n.AddContact(d.Account, u)
		d.Contacts = append(d.Contacts, u)
	}
	members := append([]*tg.User{d.Account.User}, d.Contacts[1:]...)
	d.Group = n.AddSupergroup(GroupTitle, "Where the demo contacts chat. Write here and someone answers.", d.Contacts[0], members...)
	d.Channel = n.AddBroadcast(ChannelTitle, "A demo channel that posts every now and then.", d.Contacts[2], d.Account.User)
	return d, nil
}

// Close stops the network.
func (d *Demo) Close() { d.Net.Close() }

// Phone is the account's phone number as a newcomer types it, with a leading +.
func (d *Demo) Phone() string { return "+" + d.opts.Phone }

// Code is the login code of the account.
func (d *Demo) Code() string { return d.opts.Code }
