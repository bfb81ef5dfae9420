package tgfake

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"math/big"

	"github.com/gotd/td/exchange"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
	"golang.org/x/crypto/pbkdf2"
)

// The fake checks two-step-verification passwords the way Telegram does (SRP over a 2048-bit
// safe prime, https://core.telegram.org/api/srp), so gotd's real client code is exercised.
const srpG = 3

// srpChallenge is what the server remembers between account.getPassword and checkPassword.
type srpChallenge struct {
	id           int64
	salt1, salt2 []byte
	v, b         *big.Int
	srpB         []byte
	acct         *Account
}

func srpPrime() *big.Int {
	p, _ := exchange.TestServerRNG{}.DhPrime()
	return p
}

func sha(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func pad256(i *big.Int) []byte {
	out := make([]byte, 256)
	i.FillBytes(out)
	return out
}

// passwordHash is PH2(password, salt1, salt2) from Telegram's SRP description.
func passwordHash(password string, salt1, salt2 []byte) []byte {
	sh := func(data, salt []byte) []byte { return sha(salt, data, salt) }
	ph1 := sh(sh([]byte(password), salt1), salt2)
	return sh(pbkdf2.Key(ph1, salt1, 100000, 64, sha512.New), salt2)
}

func randomBig(n int) *big.Int {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return new(big.Int).SetBytes(b)
}

// newChallenge prepares the SRP parameters for an account's password.
func newChallenge(acct *Account) *srpChallenge {
	p, g := srpPrime(), big.NewInt(srpG)
	c := &srpChallenge{id: randomBig(7).Int64(), acct: acct, salt1: randomBig(40).Bytes(), salt2: randomBig(16).Bytes()}
	x := new(big.Int).SetBytes(passwordHash(acct.Password, c.salt1, c.salt2))
	c.v = new(big.Int).Exp(g, x, p)
	c.b = randomBig(256)
	k := new(big.Int).SetBytes(sha(p.Bytes(), pad256(g)))
	bigB := new(big.Int).Exp(g, c.b, p)
	bigB.Add(bigB, new(big.Int).Mul(k, c.v)).Mod(bigB, p)
	c.srpB = pad256(bigB)
	return c
}

// verify checks the client's proof of knowing the password.
func (c *srpChallenge) verify(a, m1 []byte) bool {
	p, g := srpPrime(), big.NewInt(srpG)
	bigA := new(big.Int).SetBytes(a)
	if bigA.Sign() <= 0 || bigA.Cmp(p) >= 0 {
		return false
	}
	u := new(big.Int).SetBytes(sha(pad256(bigA), c.srpB))
	s := new(big.Int).Exp(c.v, u, p)
	s.Mul(s, bigA).Mod(s, p).Exp(s, c.b, p)
	k := sha(pad256(s))
	hp, hg := sha256.Sum256(p.Bytes()), sha256.Sum256(pad256(g))
	var xor [32]byte
	for i := range xor {
		xor[i] = hp[i] ^ hg[i]
	}
	want := sha(xor[:], sha(c.salt1), sha(c.salt2), pad256(bigA), c.srpB, k)
	return bytes.Equal(want, m1)
}

func (n *Network) getPassword(s *tgtest.Server, req *tgtest.Request) error {
	n.mu.Lock()
	acct, ok := n.pending[req.Session.AuthKey.ID]
	n.mu.Unlock()
	if !ok || acct.Password == "" {
		return s.SendResult(req, &tg.AccountPassword{})
	}
	c := newChallenge(acct)
	n.mu.Lock()
	n.challenges[req.Session.AuthKey.ID] = c
	n.mu.Unlock()
	algo := &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{Salt1: c.salt1, Salt2: c.salt2, G: srpG, P: srpPrime().Bytes()}
	resp := &tg.AccountPassword{HasPassword: true, CurrentAlgo: algo, SRPB: c.srpB, SRPID: c.id,
		NewAlgo: &tg.PasswordKdfAlgoUnknown{}, NewSecureAlgo: &tg.SecurePasswordKdfAlgoUnknown{}, SecureRandom: randomBig(32).Bytes()}
	resp.SetFlags()
	return s.SendResult(req, resp)
}

func (n *Network) checkPassword(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.AuthCheckPasswordRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	check, ok := r.Password.(*tg.InputCheckPasswordSRP)
	n.mu.Lock()
	c := n.challenges[req.Session.AuthKey.ID]
	n.mu.Unlock()
	if !ok || c == nil || check.SRPID != c.id {
		return s.SendErr(req, tgerr.New(400, "SRP_ID_INVALID"))
	}
	if !c.verify(check.A, check.M1) {
		return s.SendErr(req, tgerr.New(400, "PASSWORD_HASH_INVALID"))
	}
	return n.authorize(s, req, c.acct)
}
