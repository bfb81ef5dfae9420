//go:build integration

package synapse

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServerStartsAndRegisters starts a real Synapse from the chroot, registers a user through
// the shared-secret API and checks the token works against the client API.
func TestServerStartsAndRegisters(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := New(ctx, Options{Name: "selftest"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Stop()
		if !t.Failed() {
			_ = srv.Remove()
		} else {
			t.Logf("synapse log kept at %s", srv.LogPath())
		}
	}()
	if err = srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	acct, err := srv.RegisterUser(ctx, "selftest", "pw-selftest", false)
	if err != nil {
		t.Fatal(err)
	}
	if acct.UserID != "@selftest:localhost" || acct.AccessToken == "" {
		t.Fatalf("registered account = %+v", acct)
	}
	if code := whoami(ctx, t, srv.URL, acct.AccessToken); code != http.StatusOK {
		t.Fatalf("whoami with the new token: HTTP %d", code)
	}
	if _, err = srv.RegisterUser(ctx, "selftest", "pw-selftest", false); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("registering the same user twice: err = %v, want an HTTP 400", err)
	}
	srv.Stop()
	if resp, err := http.Get(srv.URL + "/_matrix/client/versions"); err == nil {
		resp.Body.Close()
		t.Error("synapse still answers after Stop")
	}

	// Started again, it is the same server: same address, the same users and tokens.
	if err = srv.Start(ctx); err != nil {
		t.Fatalf("start again after Stop: %v", err)
	}
	if code := whoami(ctx, t, srv.URL, acct.AccessToken); code != http.StatusOK {
		t.Errorf("whoami after a restart with the token from before: HTTP %d", code)
	}
	srv.Stop()
}

func whoami(ctx context.Context, t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/_matrix/client/v3/account/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
