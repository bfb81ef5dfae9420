// Package demo is a small Telegram network to try the bridge without a Telegram account: the
// fake MTProto cluster of the tests (tgfake) with a demo account, a few named contacts, a
// group and a channel. Once the account logs in, the contacts greet it, answer what it writes
// to them and in the group, and the group and the channel post on a timer. `make dev` runs it
// as the tgdemo command and points the Telegram bridge at it.
package demo
