package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/id"
)

// WaitConnected polls a bridge's provisioning API (whoami, with its shared secret) until the
// first login of user is CONNECTED, for up to two minutes: a restarted binary first has to
// start, load the login and reconnect.
func WaitConnected(ctx context.Context, appserviceURL, secret string, user id.UserID) error {
	endpoint := appserviceURL + "/_matrix/provision/v3/whoami?" + url.Values{"user_id": {user.String()}}.Encode()
	deadline := time.Now().Add(2 * time.Minute)
	last := "no answer"
	for time.Now().Before(deadline) {
		if state, err := loginState(ctx, endpoint, secret); err != nil {
			last = err.Error()
		} else if last = string(state); state == status.StateConnected {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the login of %s to connect: %w", user, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("wait for the login of %s to connect: still %s", user, last)
}

// loginState is the state of the user's first login according to whoami.
func loginState(ctx context.Context, endpoint, secret string) (status.BridgeStateEvent, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return "", fmt.Errorf("build whoami request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("call whoami: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("whoami: status %d: %s", resp.StatusCode, body)
	}
	var who struct {
		Logins []struct {
			State struct {
				StateEvent status.BridgeStateEvent `json:"state_event"`
			} `json:"state"`
		} `json:"logins"`
	}
	if err := json.Unmarshal(body, &who); err != nil {
		return "", fmt.Errorf("read whoami: %w", err)
	}
	if len(who.Logins) == 0 {
		return "", fmt.Errorf("whoami: no login yet")
	}
	return who.Logins[0].State.StateEvent, nil
}
