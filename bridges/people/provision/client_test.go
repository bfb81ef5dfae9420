package provision

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"maunium.net/go/mautrix/id"
)

const secret = "0123456789abcdef0123456789abcdef"

// fakeBridge answers like bridgev2's provisioning API for one logged-in user.
func fakeBridge(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+secret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid auth token"}`))
			return
		}
		if r.URL.Query().Get("user_id") != "@alice:hs" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errcode":"FI.MAU.NOT_LOGGED_IN","error":"Not logged in"}`))
			return
		}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestContactsAndResolve(t *testing.T) {
	srv := fakeBridge(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/_matrix/provision/v3/contacts":
			_, _ = w.Write([]byte(`{"contacts":[{"id":"5","name":"Bob","identifiers":["tel:+15550001","telegram:bob"],"mxid":"@telegram_5:hs"}]}`))
		case "/_matrix/provision/v3/create_dm/+15550001":
			if r.Method != http.MethodPost {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":"5","name":"Bob","mxid":"@telegram_5:hs","dm_room_mxid":"!new:hs"}`))
		case "/_matrix/provision/v3/resolve_identifier/+15550001":
			_, _ = w.Write([]byte(`{"id":"5","name":"Bob","mxid":"@telegram_5:hs","dm_room_mxid":"!dm:hs"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errcode":"M_NOT_FOUND","error":"No Telegram user has that username or phone number"}`))
		}
	})
	c := &Client{Network: "telegram", BaseURL: srv.URL + "/", Secret: secret}
	ctx := context.Background()
	contacts, err := c.Contacts(ctx, "@alice:hs")
	if err != nil {
		t.Fatalf("contacts: %v", err)
	}
	if len(contacts) != 1 || contacts[0].ID != "5" || contacts[0].Name != "Bob" || len(contacts[0].Identifiers) != 2 {
		t.Fatalf("contacts = %+v", contacts)
	}
	got, err := c.Resolve(ctx, "@alice:hs", "+15550001")
	if err != nil || got == nil || got.MXID != "@telegram_5:hs" || got.DMRoomID != "!dm:hs" {
		t.Fatalf("resolve = %+v, %v", got, err)
	}
	got, err = c.CreateDM(ctx, "@alice:hs", "+15550001")
	if err != nil || got == nil || got.DMRoomID != "!new:hs" {
		t.Fatalf("create DM = %+v, %v", got, err)
	}
	if _, err = c.CreateDM(ctx, "@alice:hs", "+15559999"); err == nil {
		t.Fatal("create DM with nobody worked")
	}
	got, err = c.Resolve(ctx, "@alice:hs", "+15559999")
	if err != nil || got != nil {
		t.Fatalf("resolve of an unknown number = %+v, %v; want nil, nil", got, err)
	}
}

func TestErrors(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	disabled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"errcode":"M_FORBIDDEN","error":"Provisioning API is disabled"}`))
	}))
	t.Cleanup(disabled.Close)
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	unsupported := fakeBridge(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"errcode":"M_UNRECOGNIZED","error":"This bridge does not support listing contacts"}`))
	})
	ok := fakeBridge(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"contacts":[]}`)) })
	garbage := fakeBridge(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"contacts":`)) })
	tests := []struct {
		name   string
		url    string
		secret string
		user   id.UserID
		want   Kind
	}{
		{"bridge down", downURL, secret, "@alice:hs", Unreachable},
		{"provisioning off", disabled.URL, secret, "@alice:hs", Disabled},
		{"wrong secret", ok.URL, "wrong", "@alice:hs", BadSecret},
		{"not logged in", ok.URL, secret, "@bob:hs", NotLoggedIn},
		{"no contact list", unsupported.URL, secret, "@alice:hs", Unsupported},
		{"not a bridge", other.URL, secret, "@alice:hs", Other},
		{"bad JSON", garbage.URL, secret, "@alice:hs", Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{Network: "tg", BaseURL: tt.url, Secret: tt.secret}
			_, err := c.Contacts(context.Background(), tt.user)
			e, isErr := errors.AsType[*Error](err)
			if !isErr {
				t.Fatalf("error = %v, want a *Error", err)
			}
			if e.Kind != tt.want || e.Network != "tg" || e.Explain() == "" {
				t.Errorf("error = %v (kind %d), want kind %d", e, e.Kind, tt.want)
			}
		})
	}
}
