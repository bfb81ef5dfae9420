package wafake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
)

// picture is a profile or group picture on the fake CDN.
type picture struct {
	id   string
	data []byte
}

// SetPicture sets (or, with nil data, removes) the picture of a user or group.
func (n *Network) SetPicture(jid types.JID, data []byte) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if data == nil {
		delete(n.pictures, jid.ToNonAD())
		return ""
	}
	sum := sha256.Sum256(data)
	pic := picture{id: hex.EncodeToString(sum[:8]), data: append([]byte(nil), data...)}
	n.pictures[jid.ToNonAD()] = pic
	return pic.id
}

// Picture returns the current picture bytes of a user or group.
func (n *Network) Picture(jid types.JID) ([]byte, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	pic, ok := n.pictures[jid.ToNonAD()]
	return pic.data, ok
}

// cdn is the loopback HTTP server pictures are downloaded from, started on first use and
// closed by Close.
func (n *Network) cdn() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.server == nil {
		n.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := strings.TrimPrefix(r.URL.Path, "/pp/")
			n.mu.Lock()
			defer n.mu.Unlock()
			for _, pic := range n.pictures {
				if pic.id == id {
					w.Header().Set("Content-Type", "image/jpeg")
					_, _ = w.Write(pic.data)
					return
				}
			}
			http.NotFound(w, r)
		}))
	}
	return n.server.URL
}

// Close stops the fake CDN, if it was started.
func (n *Network) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.server != nil {
		n.server.Close()
		n.server = nil
	}
}

func (c *Client) GetProfilePictureInfo(_ context.Context, jid types.JID, params *whatsmeow.GetProfilePictureParams) (*types.ProfilePictureInfo, error) {
	base := c.net.cdn()
	c.net.mu.Lock()
	pic, ok := c.net.pictures[jid.ToNonAD()]
	c.net.mu.Unlock()
	if !ok {
		return nil, whatsmeow.ErrProfilePictureNotSet
	}
	if params != nil && params.ExistingID == pic.id {
		return nil, nil // unchanged, as whatsmeow reports it
	}
	return &types.ProfilePictureInfo{URL: base + "/pp/" + pic.id, ID: pic.id, Type: "image"}, nil
}

func (c *Client) SetGroupPhoto(_ context.Context, jid types.JID, avatar []byte) (string, error) {
	if err := c.net.group(jid, func(*types.GroupInfo) error { return nil }); err != nil {
		return "", err
	}
	return c.net.SetPicture(jid, avatar), nil
}
