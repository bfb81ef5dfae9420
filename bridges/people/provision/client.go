package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"maunium.net/go/mautrix/bridgev2/provisionutil"
	"maunium.net/go/mautrix/id"
)

// Contact is one entry of a contact list or a resolved identifier, in bridgev2's own shape.
type Contact = provisionutil.RespResolveIdentifier

// Client talks to one bridge's provisioning API. It is safe for concurrent use.
type Client struct {
	// Network is the bridge's name in the hub's config; errors carry it.
	Network string
	// BaseURL is the bridge's appservice address (e.g. http://127.0.0.1:29317); the API is
	// under /_matrix/provision/v3 there.
	BaseURL string
	// Secret is the bridge's provisioning.shared_secret.
	Secret string
	// HTTP is the client used; nil means one with a 20 s timeout.
	HTTP *http.Client
}

var defaultHTTP = &http.Client{Timeout: 20 * time.Second}

// Contacts returns the contact list of user's default login on the bridge.
func (c *Client) Contacts(ctx context.Context, user id.UserID) ([]*Contact, error) {
	var resp provisionutil.RespGetContactList
	if err := c.get(ctx, "/v3/contacts", user, &resp); err != nil {
		return nil, err
	}
	return resp.Contacts, nil
}

// Resolve looks identifier (a phone number, username, …) up with user's default login. A
// bridge that knows nobody by it answers nil and no error.
func (c *Client) Resolve(ctx context.Context, user id.UserID, identifier string) (*Contact, error) {
	var resp Contact
	err := c.get(ctx, "/v3/resolve_identifier/"+url.PathEscape(identifier), user, &resp)
	if e, ok := errors.AsType[*Error](err); ok && e.Kind == NotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &resp, nil
}

// CreateDM opens (creating it if needed) user's chat with whoever has identifier, the way the
// bridge's `start-chat` does: the bridge invites user to the room, whose ID the answer carries
// in DMRoomID.
func (c *Client) CreateDM(ctx context.Context, user id.UserID, identifier string) (*Contact, error) {
	var resp Contact
	if err := c.do(ctx, http.MethodPost, "/v3/create_dm/"+url.PathEscape(identifier), user, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

func (c *Client) get(ctx context.Context, path string, user id.UserID, into any) error {
	return c.do(ctx, http.MethodGet, path, user, into)
}

func (c *Client) do(ctx context.Context, method, path string, user id.UserID, into any) error {
	u := strings.TrimSuffix(c.BaseURL, "/") + "/_matrix/provision" + path + "?user_id=" + url.QueryEscape(string(user))
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return &Error{Network: c.Network, Kind: Unreachable, Err: fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Authorization", "Bearer "+c.Secret)
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &Error{Network: c.Network, Kind: Unreachable, Err: fmt.Errorf("send request: %w", err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return &Error{Network: c.Network, Kind: Unreachable, Err: fmt.Errorf("read response: %w", err)}
	}
	if resp.StatusCode >= 300 {
		return responseError(c.Network, resp.StatusCode, body)
	}
	if err = json.Unmarshal(body, into); err != nil {
		return &Error{Network: c.Network, Kind: Other, Status: resp.StatusCode, Err: fmt.Errorf("decode response: %w", err)}
	}
	return nil
}
