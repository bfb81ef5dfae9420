//go:build integration

package bridgetest_test

// Security tests of the stack through the fakenet bridges: what each bridgev2 permission level
// may do (bot, login, provisioning API), that the appservice listener and the provisioning API
// refuse requests without their secret, and (in TestMain) that no secret reaches a log.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

var (
	// permBridge lists each level's user explicitly and nobody else: "*" and the server are
	// removed from its permissions, so lvl-none matches nothing.
	permBridge *bridgetest.Bridge
	permNet    *fakenet.Network
)

// Users of permBridge: lvl-<level> has that level; lvl-host (commands) owns a room with the bot
// that the others join.
const permHost = "lvl-host"

// badUser (user level on permBridge) sends the malformed events of badinput_test.go.
const badUser = "lvl-bad"

func levelUser(level string) string { return "lvl-" + level }

// setupSecurity adds permBridge and the after-test log scan. TestMain calls it.
func setupSecurity(ctx context.Context, s *bridgetest.Stack) error {
	permNet = fakenet.New()
	sn := s.Synapse.ServerName
	perms := map[string]string{"*": "", sn: "", "@admin:" + sn: "", "@" + permHost + ":" + sn: "commands", "@" + badUser + ":" + sn: "user"}
	for _, level := range []string{"relay", "commands", "user", "admin"} {
		perms["@"+levelUser(level)+":"+sn] = level
	}
	var err error
	permBridge, err = s.AddBridge(ctx, bridgetest.BridgeOptions{Name: "fakeperm", Connector: permNet.Connector(), Permissions: perms})
	if err != nil {
		return err
	}
	s.AfterTests(func() error {
		for _, n := range []*fakenet.Network{pgNet, sqliteNet, permNet} {
			for what, v := range n.Secrets() {
				s.AddSecret(what, v)
			}
		}
		return nil // bridgetest.Main scans the logs for them next
	})
	return nil
}

// httpResult is an HTTP response with its body and, for Matrix errors, errcode and error.
type httpResult struct {
	Status  int
	Body    map[string]any
	ErrCode string
	Error   string
}

// call sends body (JSON-encoded unless it is []byte) with the given Authorization header
// ("" for none) and decodes the JSON reply.
func call(t *testing.T, method, target, auth string, body any) httpResult {
	t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		reader = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode request body: %v", err)
		}
		reader = bytes.NewReader(data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, redactURL(target), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read response of %s %s: %v", method, redactURL(target), err)
	}
	res := httpResult{Status: resp.StatusCode}
	if len(data) > 0 {
		if err = json.Unmarshal(data, &res.Body); err != nil {
			t.Fatalf("%s %s: status %d, body is not a JSON object: %q", method, redactURL(target), resp.StatusCode, data)
		}
	}
	res.ErrCode, _ = res.Body["errcode"].(string)
	res.Error, _ = res.Body["error"].(string)
	return res
}

func redactURL(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return s[:i] + "?…"
	}
	return s
}

func bearer(token string) string { return "Bearer " + token }

// provURL is a provisioning API URL of b acting for user.
func provURL(b *bridgetest.Bridge, path string, user id.UserID) string {
	return b.AppserviceURL() + "/_matrix/provision" + path + "?user_id=" + url.QueryEscape(user.String())
}

// wantError checks a refusal's status and Matrix error code (and, if given, message).
func wantError(t *testing.T, what string, got httpResult, status int, errcode, msg string) {
	t.Helper()
	if got.Status != status || got.ErrCode != errcode || !strings.Contains(got.Error, msg) {
		t.Errorf("%s: got %d %s %q, want %d %s %q", what, got.Status, got.ErrCode, got.Error, status, errcode, msg)
	}
}

// sharedRoom is a room of lvl-host that the bot has joined.
func sharedRoom(t *testing.T, host *matrixtest.User, b *bridgetest.Bridge) id.RoomID {
	t.Helper()
	managementRoom(t, host, b)
	c := host.Cursor()
	resp, err := host.Client.CreateRoom(context.Background(), &mautrix.ReqCreateRoom{Invite: []id.UserID{b.BotMXID()}, Preset: "private_chat"})
	if err != nil {
		t.Fatalf("create shared room: %v", err)
	}
	host.WaitFor(t, resp.RoomID, c, "the bot to join the shared room", matrixtest.Membership(b.BotMXID(), event.MembershipJoin))
	return resp.RoomID
}

// TestPermissionLevels: each bridgev2 permission level gets exactly what it allows from the
// bot, the login flow and the provisioning API.
func TestPermissionLevels(t *testing.T) {
	b := permBridge
	bot := b.BotMXID()
	prefix := b.Config.Bridge.CommandPrefix
	host := stack.User(t, permHost)
	shared := sharedRoom(t, host, b)
	tests := []struct {
		level string
		// invite is the bot's reason for refusing a DM; "" means it joins.
		invite                 string
		commands, login, admin bool
	}{
		{level: "none", invite: "You don't have permission to interact with this bridge"},
		{level: "relay", invite: "You don't have permission to send commands to this bridge"},
		{level: "commands", commands: true},
		{level: "user", commands: true, login: true},
		{level: "admin", commands: true, login: true, admin: true},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			u := stack.User(t, levelUser(tt.level))
			c := u.Cursor()
			dm := u.CreateDM(t, bot)
			if tt.invite != "" {
				evt := u.WaitFor(t, dm, c, "the bot to refuse the DM", matrixtest.Membership(bot, event.MembershipLeave))
				if reason := evt.Content.AsMember().Reason; !strings.Contains(reason, tt.invite) {
					t.Errorf("bot left with reason %q, want %q", reason, tt.invite)
				}
				u.Never(t, dm, c, time.Second, "the bot joining", matrixtest.Membership(bot, event.MembershipJoin))
			} else {
				u.WaitFor(t, dm, c, "the bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a Fake Network bridge bot"))
				checkBotCommands(t, u, dm, tt.login, tt.admin)
			}

			// Commands in a room the bot is in, with the command prefix.
			if _, err := host.Client.InviteUser(context.Background(), shared, &mautrix.ReqInviteUser{UserID: u.UserID}); err != nil {
				t.Fatalf("invite to shared room: %v", err)
			}
			c = u.Cursor()
			u.Join(t, shared)
			// The join's sync brings the room's history (the bot's welcome, earlier replies);
			// only what follows it counts.
			u.WaitFor(t, shared, c, "the own join", matrixtest.Membership(u.UserID, event.MembershipJoin))
			c = u.Cursor()
			u.SendText(t, shared, prefix+" help")
			if tt.commands {
				u.WaitFor(t, shared, c, "the bot's help in the shared room", matrixtest.MessageFrom(bot, "Authentication"))
			} else {
				u.Never(t, shared, c, 3*time.Second, "any bot message for a user without commands", matrixtest.MessageFrom(bot))
			}

			checkProvisioning(t, b, u, tt.login)
			checkLogin(t, u, dm, tt.login, tt.commands)
		})
	}
}

// checkBotCommands runs help, login, list-logins and an admin-only command in the DM.
func checkBotCommands(t *testing.T, u *matrixtest.User, dm id.RoomID, login, admin bool) {
	t.Helper()
	b := permBridge
	help := command(t, u, b, dm, "help", "Authentication")
	if got := strings.Contains(help, "debug-reset-network"); got != admin {
		t.Errorf("help lists the admin command: %v, want %v:\n%s", got, admin, help)
	}
	if login {
		command(t, u, b, dm, "login", "Please specify a login flow")
		command(t, u, b, dm, "list-logins", "You're not logged in")
	} else {
		command(t, u, b, dm, "login", "You do not have permissions to log into this bridge.")
		command(t, u, b, dm, "list-logins", "You do not have permissions to log into this bridge.")
	}
	if admin {
		c := u.Cursor()
		u.SendText(t, dm, "debug-reset-network")
		u.WaitFor(t, dm, c, "the bot's ✅ for the admin command", matrixtest.Type(event.EventReaction, b.BotMXID()))
	} else {
		command(t, u, b, dm, "debug-reset-network", "That command is limited to bridge administrators.")
	}
}

// checkProvisioning calls provisioning endpoints as u, with the shared secret and with u's own
// access token: users who may log in get answers, everyone else 403.
func checkProvisioning(t *testing.T, b *bridgetest.Bridge, u *matrixtest.User, login bool) {
	t.Helper()
	auths := map[string]string{"shared secret": bearer(b.ProvisioningSecret()), "own token": bearer(u.AccessToken)}
	endpoints := []struct{ method, path string }{
		{http.MethodGet, "/v3/whoami"},
		{http.MethodGet, "/v3/login/flows"},
		{http.MethodGet, "/v3/logins"},
		{http.MethodPost, "/v3/login/start/password"},
	}
	for authName, auth := range auths {
		for _, ep := range endpoints {
			what := fmt.Sprintf("%s %s with %s", ep.method, ep.path, authName)
			res := call(t, ep.method, provURL(b, ep.path, u.UserID), auth, nil)
			if !login {
				wantError(t, what, res, http.StatusForbidden, "M_FORBIDDEN", "User does not have login permissions")
				continue
			}
			if res.Status != http.StatusOK {
				t.Errorf("%s: status %d %s %q, want 200", what, res.Status, res.ErrCode, res.Error)
				continue
			}
			switch ep.path {
			case "/v3/whoami":
				if res.Body["bridge_bot"] != b.BotMXID().String() {
					t.Errorf("%s: bridge_bot = %v, want %s", what, res.Body["bridge_bot"], b.BotMXID())
				}
			case "/v3/login/flows":
				if flows, _ := json.Marshal(res.Body["flows"]); !strings.Contains(string(flows), `"id":"password"`) {
					t.Errorf("%s: flows %s lack the password flow", what, flows)
				}
			case "/v3/login/start/password":
				if res.Body["type"] != "user_input" || res.Body["step_id"] != "fi.mxb.fakenet.password" {
					t.Errorf("%s: first step %v, want the password user_input step", what, res.Body)
				}
			}
		}
	}
}

// checkLogin logs u in to the fake network through the bot and through the provisioning API,
// or checks that neither path works for a user without login permission.
func checkLogin(t *testing.T, u *matrixtest.User, dm id.RoomID, login, commands bool) {
	t.Helper()
	b := permBridge
	cmdAccount, provAccount := string(u.UserID.Localpart())+"-cmd", string(u.UserID.Localpart())+"-prov"
	permNet.AddAccount(cmdAccount, "pw-"+cmdAccount)
	permNet.AddAccount(provAccount, "pw-"+provAccount)
	switch {
	case login:
		loginFake(t, u, b, permNet, dm, cmdAccount)
	case commands:
		command(t, u, b, dm, "login password", "You do not have permissions to log into this bridge.")
	}
	secret := bearer(b.ProvisioningSecret())
	start := call(t, http.MethodPost, provURL(b, "/v3/login/start/password", u.UserID), secret, nil)
	if login {
		loginID, _ := start.Body["login_id"].(string)
		stepID, _ := start.Body["step_id"].(string)
		step := call(t, http.MethodPost, provURL(b, "/v3/login/step/"+loginID+"/"+stepID+"/user_input", u.UserID), secret,
			map[string]string{"username": provAccount, "password": "pw-" + provAccount})
		if step.Status != http.StatusOK || step.Body["type"] != "complete" {
			t.Errorf("provisioning login step: %d %v, want a complete step", step.Status, step.Body)
		}
	} else {
		wantError(t, "provisioning login start", start, http.StatusForbidden, "M_FORBIDDEN", "User does not have login permissions")
	}
	for _, account := range []string{cmdAccount, provAccount} {
		ul := b.Login(account)
		if login && (ul == nil || ul.UserMXID != u.UserID) {
			t.Errorf("login %s = %v, want one owned by %s", account, ul, u.UserID)
		} else if !login && ul != nil {
			t.Errorf("a user without login permission got login %s", account)
		}
	}
	if login {
		command(t, u, b, dm, "list-logins", cmdAccount, provAccount)
	}
}

// appservice is one bridge's appservice listener and its tokens.
type appservice struct{ name, url, hsToken, asToken string }

// appservices are the listeners under test: the in-process bridges and the binary.
func appservices() []appservice {
	var out []appservice
	for _, b := range []*bridgetest.Bridge{onPG, onSQLite, permBridge} {
		out = append(out, appservice{b.Name, b.AppserviceURL(), b.Registration.ServerToken, b.Registration.AppToken})
	}
	return append(out, appservice{binary.Name, binary.AppserviceURL(), binary.Registration.ServerToken, binary.Registration.AppToken})
}

// waitLive waits until an appservice listener answers its liveness endpoint (a binary bridge
// may still be starting).
func waitLive(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/_matrix/mau/live")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("appservice listener %s is not live after 30s: %v", base, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAppserviceAuth: every appservice endpoint refuses requests without the hs_token or with
// a wrong one (the as_token included) with 401 and a Matrix error code, and answers the right
// token.
func TestAppserviceAuth(t *testing.T) {
	for _, as := range appservices() {
		t.Run(as.name, func(t *testing.T) {
			waitLive(t, as.url)
			txn := []byte(`{"events":[]}`)
			endpoints := []struct {
				method, path string
				body         []byte
				okStatus     int
				okErrCode    string
			}{
				{http.MethodPut, "/_matrix/app/v1/transactions/auth-" + as.name, txn, http.StatusOK, ""},
				{http.MethodPost, "/_matrix/app/v1/ping", []byte(`{"transaction_id":"x"}`), http.StatusOK, ""},
				{http.MethodGet, "/_matrix/app/v1/users/@" + as.name + "_someone:localhost", nil, http.StatusNotFound, "M_NOT_FOUND"},
				{http.MethodGet, "/_matrix/app/v1/rooms/%23" + as.name + "_room:localhost", nil, http.StatusNotFound, "M_NOT_FOUND"},
			}
			auths := []struct {
				name, header string
				errcode      string
			}{
				{"no token", "", "M_MISSING_TOKEN"},
				{"not bearer", as.hsToken, "M_MISSING_TOKEN"},
				{"wrong token", bearer("wrong-" + as.hsToken), "M_UNKNOWN_TOKEN"},
				{"as_token", bearer(as.asToken), "M_UNKNOWN_TOKEN"},
				{"right token", bearer(as.hsToken), ""},
			}
			for _, ep := range endpoints {
				for _, a := range auths {
					res := call(t, ep.method, as.url+ep.path, a.header, ep.body)
					what := fmt.Sprintf("%s %s with %s", ep.method, ep.path, a.name)
					if a.errcode != "" {
						wantError(t, what, res, http.StatusUnauthorized, a.errcode, "")
					} else if res.Status != ep.okStatus || res.ErrCode != ep.okErrCode {
						t.Errorf("%s: got %d %s, want %d %s", what, res.Status, res.ErrCode, ep.okStatus, ep.okErrCode)
					}
				}
			}
		})
	}
}

// commandTxn is a transaction carrying a message from user in room, as Synapse would send it.
func commandTxn(user id.UserID, room id.RoomID, eventID, body string) map[string]any {
	return map[string]any{"events": []map[string]any{{
		"type": "m.room.message", "room_id": room, "sender": user, "event_id": eventID,
		"origin_server_ts": time.Now().UnixMilli(),
		"content":          map[string]any{"msgtype": "m.text", "body": body},
	}}}
}

// TestRejectedTransactionIsNotHandled: a transaction with a real user's command in their
// management room gets no reply when the token is missing or wrong, and is not marked as
// processed; the same transaction ID with the right token is handled.
func TestRejectedTransactionIsNotHandled(t *testing.T) {
	b := onPG
	u := stack.NewUser(t, "txnuser")
	room := managementRoom(t, u, b)
	txnURL := b.AppserviceURL() + "/_matrix/app/v1/transactions/forged-" + string(u.UserID.Localpart())
	txn := commandTxn(u.UserID, room, "$forged-"+string(u.UserID.Localpart()), "help")
	tests := []struct {
		name, auth, errcode string
	}{
		{"no token", "", "M_MISSING_TOKEN"},
		{"wrong token", bearer("not-the-hs-token"), "M_UNKNOWN_TOKEN"},
		{"as_token", bearer(b.Registration.AppToken), "M_UNKNOWN_TOKEN"},
	}
	for _, tt := range tests {
		c := u.Cursor()
		wantError(t, tt.name, call(t, http.MethodPut, txnURL, tt.auth, txn), http.StatusUnauthorized, tt.errcode, "")
		u.Never(t, room, c, 2*time.Second, "a bot reply to a transaction with "+tt.name, matrixtest.MessageFrom(b.BotMXID()))
	}
	c := u.Cursor()
	if res := call(t, http.MethodPut, txnURL, bearer(b.Registration.ServerToken), txn); res.Status != http.StatusOK {
		t.Fatalf("transaction with the right token: %d %s", res.Status, res.ErrCode)
	}
	u.WaitFor(t, room, c, "the bot's reply to the accepted transaction", matrixtest.MessageFrom(b.BotMXID(), "Authentication"))
}

// TestProvisioningNeedsItsSecret: provisioning requests without auth, with a wrong secret, with
// a bridge token, or with a real user's token for another user are refused.
func TestProvisioningNeedsItsSecret(t *testing.T) {
	b := onPG
	alice, bob := stack.NewUser(t, "provalice"), stack.NewUser(t, "provbob")
	tests := []struct {
		name    string
		auth    string
		as      id.UserID
		status  int
		errcode string
		msg     string
	}{
		{"no auth", "", alice.UserID, http.StatusUnauthorized, "M_MISSING_TOKEN", "Missing auth token"},
		{"bearer without token", "Bearer ", alice.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"wrong secret", bearer("wrong-" + b.ProvisioningSecret()), alice.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"secret prefix", bearer(b.ProvisioningSecret()[:len(b.ProvisioningSecret())-1]), alice.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"hs_token", bearer(b.Registration.ServerToken), alice.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"other bridge's secret", bearer(onSQLite.ProvisioningSecret()), alice.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"bob's token for alice", bearer(bob.AccessToken), alice.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"alice's token for bob", bearer(alice.AccessToken), bob.UserID, http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
		{"alice's token for alice", bearer(alice.AccessToken), alice.UserID, http.StatusOK, "", ""},
		{"secret for alice", bearer(b.ProvisioningSecret()), alice.UserID, http.StatusOK, "", ""},
		// The secret acts for any user_id; one that names nobody on the server gets "*" (relay).
		{"secret without user_id", bearer(b.ProvisioningSecret()), "", http.StatusForbidden, "M_FORBIDDEN", "User does not have login permissions"},
		{"secret for a junk user_id", bearer(b.ProvisioningSecret()), "not a user id", http.StatusForbidden, "M_FORBIDDEN", "User does not have login permissions"},
		{"alice's token without user_id", bearer(alice.AccessToken), "", http.StatusUnauthorized, "M_UNKNOWN_TOKEN", "Invalid auth token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ep := range []struct{ method, path string }{{http.MethodGet, "/v3/whoami"}, {http.MethodPost, "/v3/login/start/password"}} {
				res := call(t, ep.method, provURL(b, ep.path, tt.as), tt.auth, nil)
				wantError(t, ep.method+" "+ep.path, res, tt.status, tt.errcode, tt.msg)
			}
		})
	}
}
