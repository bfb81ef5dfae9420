package tgfake

import (
	"context"

	"github.com/gotd/td/tg"
)

// DeliverUserName renames a user and tells the account, as Telegram does (updateUserName).
func (n *Network) DeliverUserName(ctx context.Context, to *Account, user *tg.User, first, last string) error {
	n.mu.Lock()
	user.FirstName, user.LastName = first, last
	user.SetFlags()
	n.mu.Unlock()
	return n.push(ctx, to, nil, &tg.UpdateUserName{UserID: user.ID, FirstName: first, LastName: last})
}

// DeliverUserPhoto gives a user a new profile photo (a JPEG) and tells the account that the
// user changed (updateUser), after which a client asks for the user again.
func (n *Network) DeliverUserPhoto(ctx context.Context, to *Account, user *tg.User, data []byte) error {
	n.SetUserPhoto(user, data)
	return n.push(ctx, to, nil, &tg.UpdateUser{UserID: user.ID})
}
