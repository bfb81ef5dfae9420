package tgfake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// qrToken is a login token waiting to be scanned by a logged-in app.
type qrToken struct {
	session tgtest.Session
	acct    *Account // set once scanned
}

func (n *Network) exportLoginToken(s *tgtest.Server, req *tgtest.Request) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	// A scanned token of this auth key completes the login.
	for key, tok := range n.qrTokens {
		if tok.session.AuthKey.ID != req.Session.AuthKey.ID || tok.acct == nil {
			continue
		}
		delete(n.qrTokens, key)
		if tok.acct.Password != "" {
			n.pending[req.Session.AuthKey.ID] = tok.acct
			return s.SendErr(req, tgerr.New(401, "SESSION_PASSWORD_NEEDED"))
		}
		n.mu.Unlock()
		err := n.authorizeResult(s, req, tok.acct, true)
		n.mu.Lock()
		return err
	}
	token := make([]byte, 16)
	_, _ = rand.Read(token)
	n.qrTokens[base64.URLEncoding.EncodeToString(token)] = &qrToken{session: req.Session}
	lifetime := n.QRLifetime
	if lifetime == 0 {
		lifetime = 30 * time.Second
	}
	return s.SendResult(req, &tg.AuthLoginToken{Token: token, Expires: int(time.Now().Add(lifetime).Unix())})
}

// ScanQR plays a logged-in Telegram app scanning the login QR code (a tg://login URL) as acct.
func (n *Network) ScanQR(ctx context.Context, url string, acct *Account) error {
	tok, err := qrlogin.ParseTokenURL(url)
	if err != nil {
		return fmt.Errorf("scan QR: %w", err)
	}
	n.mu.Lock()
	pending, ok := n.qrTokens[tok.String()]
	if ok {
		pending.acct = acct
	}
	n.mu.Unlock()
	if !ok {
		return fmt.Errorf("scan QR: unknown or expired token")
	}
	return n.server.Send(ctx, pending.session, tgtest.MessageFromServer, &tg.Updates{
		Updates: []tg.UpdateClass{&tg.UpdateLoginToken{}}, Date: int(time.Now().Unix()),
	})
}

// AddBot creates a bot account that logs in with token.
func (n *Network) AddBot(name, token string) *tg.User {
	u := n.AddUser(name, "", name+"_bot", "")
	u.Bot = true
	u.SetFlags()
	n.mu.Lock()
	n.bots[token] = &Account{User: u}
	n.mu.Unlock()
	return u
}

func (n *Network) importBotAuthorization(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.AuthImportBotAuthorizationRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	n.mu.Lock()
	acct, ok := n.bots[r.BotAuthToken]
	n.mu.Unlock()
	if !ok {
		return s.SendErr(req, tgerr.New(400, "ACCESS_TOKEN_INVALID"))
	}
	return n.authorize(s, req, acct)
}
