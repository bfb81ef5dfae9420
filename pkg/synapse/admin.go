package synapse

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Account is a registered user with a ready access token.
type Account struct {
	UserID      string `json:"user_id"`
	AccessToken string `json:"access_token"`
	DeviceID    string `json:"device_id"`
	Password    string `json:"-"`
}

// registrationMAC is the HMAC-SHA1 that Synapse's shared-secret registration API expects.
func registrationMAC(secret, nonce, user, password string, admin bool) string {
	mac := hmac.New(sha1.New, []byte(secret))
	role := "notadmin"
	if admin {
		role = "admin"
	}
	mac.Write([]byte(nonce + "\x00" + user + "\x00" + password + "\x00" + role))
	return hex.EncodeToString(mac.Sum(nil))
}

// RegisterUser creates a user through the shared-secret admin API and returns it logged in.
func (s *Server) RegisterUser(ctx context.Context, localpart, password string, admin bool) (*Account, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	var nonce struct {
		Nonce string `json:"nonce"`
	}
	if err := doJSON(ctx, client, http.MethodGet, s.URL+"/_synapse/admin/v1/register", nil, &nonce); err != nil {
		return nil, fmt.Errorf("get registration nonce: %w", err)
	}
	body := map[string]any{
		"nonce":    nonce.Nonce,
		"username": localpart,
		"password": password,
		"admin":    admin,
		"mac":      registrationMAC(s.SharedSecret, nonce.Nonce, localpart, password, admin),
	}
	acct := &Account{Password: password}
	if err := doJSON(ctx, client, http.MethodPost, s.URL+"/_synapse/admin/v1/register", body, acct); err != nil {
		return nil, fmt.Errorf("register %s: %w", localpart, err)
	}
	return acct, nil
}

func doJSON(ctx context.Context, client *http.Client, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("marshal request: %w", err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("send request: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	if err = json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}
