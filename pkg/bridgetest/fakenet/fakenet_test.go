package fakenet

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/event"
)

func TestGetName(t *testing.T) {
	name := New().Connector().GetName()
	if name.NetworkID != "fakenet" {
		t.Errorf("NetworkID = %q, want fakenet", name.NetworkID)
	}
	if name.DisplayName == "" || name.DefaultPort == 0 {
		t.Errorf("name = %+v, want a display name and a default port", name)
	}
}

func TestGetLoginFlows(t *testing.T) {
	flows := New().Connector().GetLoginFlows()
	var ids []string
	for _, f := range flows {
		ids = append(ids, f.ID)
		if f.Name == "" || f.Description == "" {
			t.Errorf("flow %q lacks a name or description", f.ID)
		}
	}
	if want := []string{FlowPassword, FlowToken}; !reflect.DeepEqual(ids, want) {
		t.Errorf("flow IDs = %v, want %v", ids, want)
	}
	if FlowPassword != "password" || FlowToken != "token" {
		t.Errorf("flow constants = %q, %q", FlowPassword, FlowToken)
	}
}

func TestCreateLoginStart(t *testing.T) {
	tests := []struct {
		flow       string
		wantErr    bool
		wantStepID string
		wantFields []string
		wantTypes  []bridgev2.LoginInputFieldType
	}{
		{
			flow:       "password",
			wantStepID: "fi.mxb.fakenet.password",
			wantFields: []string{"username", "password"},
			wantTypes:  []bridgev2.LoginInputFieldType{bridgev2.LoginInputFieldTypeUsername, bridgev2.LoginInputFieldTypePassword},
		},
		{
			flow:       "token",
			wantStepID: "fi.mxb.fakenet.token",
			wantFields: []string{"token"},
			wantTypes:  []bridgev2.LoginInputFieldType{bridgev2.LoginInputFieldTypeToken},
		},
		{flow: "qr", wantErr: true},
		{flow: "", wantErr: true},
		{flow: "Password", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.flow, func(t *testing.T) {
			ctx := context.Background()
			lp, err := New().Connector().CreateLogin(ctx, nil, tt.flow)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("CreateLogin(%q) succeeded, want an error", tt.flow)
				}
				if lp != nil {
					t.Errorf("CreateLogin(%q) returned a process with its error", tt.flow)
				}
				if !strings.Contains(err.Error(), "unknown flow") || !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.flow)) {
					t.Errorf("error %q does not name the unknown flow", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateLogin(%q): %v", tt.flow, err)
			}
			if _, ok := lp.(bridgev2.LoginProcessUserInput); !ok {
				t.Fatalf("login process %T does not take user input", lp)
			}
			step, err := lp.Start(ctx)
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			if step.Type != bridgev2.LoginStepTypeUserInput {
				t.Errorf("step type = %q, want user_input", step.Type)
			}
			if step.StepID != tt.wantStepID {
				t.Errorf("step ID = %q, want %q", step.StepID, tt.wantStepID)
			}
			if step.Instructions == "" {
				t.Error("step has no instructions")
			}
			if step.UserInputParams == nil {
				t.Fatal("step has no user input params")
			}
			var ids []string
			var types []bridgev2.LoginInputFieldType
			for _, f := range step.UserInputParams.Fields {
				ids = append(ids, f.ID)
				types = append(types, f.Type)
			}
			if !reflect.DeepEqual(ids, tt.wantFields) {
				t.Errorf("field IDs = %v, want %v", ids, tt.wantFields)
			}
			if !reflect.DeepEqual(types, tt.wantTypes) {
				t.Errorf("field types = %v, want %v", types, tt.wantTypes)
			}
			lp.Cancel()
		})
	}
}

// TestSubmitUserInputBadCredentials covers the failure paths only: a successful submit creates
// a login on a real bridge user.
func TestSubmitUserInputBadCredentials(t *testing.T) {
	tests := []struct {
		name  string
		flow  string
		input map[string]string
	}{
		{"wrong password", FlowPassword, map[string]string{"username": "alice", "password": "wrong"}},
		{"empty password", FlowPassword, map[string]string{"username": "alice", "password": ""}},
		{"password of another account", FlowPassword, map[string]string{"username": "alice", "password": "bobpw"}},
		{"unknown user", FlowPassword, map[string]string{"username": "mallory", "password": "alicepw"}},
		{"username case differs", FlowPassword, map[string]string{"username": "Alice", "password": "alicepw"}},
		{"no input", FlowPassword, map[string]string{}},
		{"token of unknown user", FlowToken, map[string]string{"token": "token-mallory"}},
		{"token without prefix", FlowToken, map[string]string{"token": "alice"}},
		{"token with wrong prefix", FlowToken, map[string]string{"token": "Token-alice"}},
		{"token prefix only", FlowToken, map[string]string{"token": "token-"}},
		{"token with spaces", FlowToken, map[string]string{"token": " token-alice"}},
		{"empty token", FlowToken, map[string]string{"token": ""}},
		{"password given to token flow", FlowToken, map[string]string{"username": "alice", "password": "alicepw"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := New()
			n.AddAccount("alice", "alicepw")
			n.AddAccount("bob", "bobpw")
			ctx := context.Background()
			lp, err := n.Connector().CreateLogin(ctx, nil, tt.flow)
			if err != nil {
				t.Fatal(err)
			}
			if _, err = lp.Start(ctx); err != nil {
				t.Fatal(err)
			}
			step, err := lp.(bridgev2.LoginProcessUserInput).SubmitUserInput(ctx, tt.input)
			if step != nil {
				t.Errorf("SubmitUserInput returned a step: %+v", step)
			}
			if !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("SubmitUserInput error = %v, want ErrBadCredentials", err)
			}
			var re bridgev2.RespError
			if !errors.As(err, &re) || re.StatusCode != 403 || re.ErrCode != "FI.MXB.FAKENET.BAD_CREDENTIALS" {
				t.Errorf("error = %#v, want a 403 FI.MXB.FAKENET.BAD_CREDENTIALS RespError", err)
			}
		})
	}
}

func TestCutDM(t *testing.T) {
	tests := []struct {
		id        networkid.PortalID
		wantOther string
		wantOK    bool
	}{
		{"dm:alice", "alice", true},
		{"dm:a", "a", true},
		{"dm:dm:x", "dm:x", true},
		{"dm:user with spaces", "user with spaces", true},
		{"dm:", "", false},
		{"dm", "", false},
		{"", "", false},
		{"DM:alice", "", false},
		{"group:alice", "", false},
		{"xdm:alice", "", false},
	}
	for _, tt := range tests {
		other, ok := cutDM(tt.id)
		if other != tt.wantOther || ok != tt.wantOK {
			t.Errorf("cutDM(%q) = %q, %v; want %q, %v", tt.id, other, ok, tt.wantOther, tt.wantOK)
		}
	}
}

func TestDMPortalKey(t *testing.T) {
	key := dmPortalKey("alice", "bob")
	if key.ID != "dm:bob" || key.Receiver != "alice" {
		t.Errorf("dmPortalKey(alice, bob) = %+v", key)
	}
	if other, ok := cutDM(key.ID); !ok || other != "bob" {
		t.Errorf("cutDM(dmPortalKey(...).ID) = %q, %v", other, ok)
	}
}

func TestDeliverWithoutBridge(t *testing.T) {
	n := New()
	_ = n.Connector()
	msgID, err := n.Deliver(context.Background(), "alice", "bob", "hi")
	if err == nil {
		t.Fatalf("Deliver without a bridge succeeded with ID %q", msgID)
	}
	if !strings.Contains(err.Error(), "not attached") {
		t.Errorf("error %q does not say the connector is not attached", err)
	}
	if msgID != "" {
		t.Errorf("Deliver returned ID %q with its error", msgID)
	}
}

func TestDeliverUnknownLogin(t *testing.T) {
	n := New()
	n.Connector().Init(&bridgev2.Bridge{})
	_, err := n.Deliver(context.Background(), "alice", "bob", "hi")
	if err == nil || !strings.Contains(err.Error(), "no such login") {
		t.Errorf("Deliver to a login the bridge lacks: err = %v, want \"no such login\"", err)
	}
}

func TestWaitSent(t *testing.T) {
	n := New()
	start := time.Now()
	got, err := n.WaitSent(30 * time.Millisecond)
	if err == nil {
		t.Fatalf("WaitSent on an empty outbox = %+v, want a timeout error", got)
	}
	if time.Since(start) < 30*time.Millisecond {
		t.Errorf("WaitSent returned before its timeout")
	}
	if !strings.Contains(err.Error(), "30ms") {
		t.Errorf("error %q does not mention the timeout", err)
	}
	if got != (Sent{}) {
		t.Errorf("WaitSent returned %+v with its error", got)
	}

	first := Sent{Login: "alice", Chat: "bob", Text: "one", ID: "fm-1"}
	second := Sent{Login: "alice", Chat: "bob", Text: "two", ID: "fm-2"}
	n.outbox <- first
	n.outbox <- second
	for _, want := range []Sent{first, second} {
		got, err = n.WaitSent(time.Second)
		if err != nil || got != want {
			t.Errorf("WaitSent = %+v, %v; want %+v", got, err, want)
		}
	}

	// A message that arrives while waiting is returned.
	go func() {
		time.Sleep(20 * time.Millisecond)
		n.outbox <- Sent{Text: "late"}
	}()
	if got, err = n.WaitSent(5 * time.Second); err != nil || got.Text != "late" {
		t.Errorf("WaitSent = %+v, %v; want the late message", got, err)
	}
}

func TestOutbox(t *testing.T) {
	n := New()
	if cap(n.outbox) != 1024 {
		t.Errorf("outbox capacity = %d, want 1024", cap(n.outbox))
	}
	n.outbox <- Sent{Text: "x"}
	select {
	case s := <-n.Outbox():
		if s.Text != "x" {
			t.Errorf("Outbox yielded %+v", s)
		}
	default:
		t.Error("Outbox is not the channel messages are put in")
	}
}

func TestNewMessageID(t *testing.T) {
	n := New()
	seen := map[string]bool{}
	for i := 1; i <= 100; i++ {
		id := n.newMessageID()
		if seen[id] {
			t.Fatalf("newMessageID repeated %q", id)
		}
		seen[id] = true
		if want := fmt.Sprintf("fm-%d", i); id != want {
			t.Errorf("ID #%d = %q, want %q", i, id, want)
		}
	}

	// Concurrent callers get unique IDs too.
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				id := n.newMessageID()
				mu.Lock()
				if seen[id] {
					t.Errorf("concurrent newMessageID repeated %q", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 500 {
		t.Errorf("%d unique IDs, want 500", len(seen))
	}

	// IDs are per network.
	if id := New().newMessageID(); id != "fm-1" {
		t.Errorf("first ID of a new network = %q", id)
	}
}

func TestAccounts(t *testing.T) {
	n := New()
	n.AddAccount("alice", "pw")
	n.AddAccount("nopw", "")
	n.SetName("carol", "Carol C")
	n.SetName("alice", "Alice A")

	tests := []struct {
		user, password string
		wantPassword   bool
		wantAccount    bool
		wantName       string
	}{
		{"alice", "pw", true, true, "Alice A"},
		{"alice", "PW", false, true, "Alice A"},
		{"nopw", "", true, true, "nopw"},
		{"carol", "", false, false, "Carol C"},
		{"mallory", "", false, false, "mallory"},
		{"", "", false, false, ""},
	}
	for _, tt := range tests {
		if got := n.checkPassword(tt.user, tt.password); got != tt.wantPassword {
			t.Errorf("checkPassword(%q, %q) = %v", tt.user, tt.password, got)
		}
		if got := n.hasAccount(tt.user); got != tt.wantAccount {
			t.Errorf("hasAccount(%q) = %v", tt.user, got)
		}
		if got := n.name(tt.user); got != tt.wantName {
			t.Errorf("name(%q) = %q, want %q", tt.user, got, tt.wantName)
		}
	}
}

func TestConnectorConfig(t *testing.T) {
	c := New().Connector()
	example, data, up := c.GetConfig()
	if !strings.Contains(example, "greeting: hello from fakenet") {
		t.Errorf("example network config = %q", example)
	}
	if up == nil {
		t.Error("no config upgrader")
	}
	cfg, ok := data.(*Config)
	if !ok {
		t.Fatalf("config data is %T, want *Config", data)
	}
	cfg.Greeting = "set through the pointer"
	if got := c.Config().Greeting; got != "set through the pointer" {
		t.Errorf("Config() = %q; GetConfig must hand out the connector's own struct", got)
	}
}

func TestConnectorInitAndLoadUserLogin(t *testing.T) {
	n := New()
	c := n.Connector()
	br := &bridgev2.Bridge{}
	c.Init(br)
	if n.bridge != br {
		t.Error("Init did not attach the network to the bridge")
	}
	login := &bridgev2.UserLogin{UserLogin: &database.UserLogin{ID: "alice"}}
	if err := c.LoadUserLogin(context.Background(), login); err != nil {
		t.Fatal(err)
	}
	cl, ok := login.Client.(*client)
	if !ok || cl.net != n || cl.login != login {
		t.Fatalf("LoadUserLogin set client %#v", login.Client)
	}
}

func newTestClient(n *Network, loginID string) *client {
	return &client{net: n, login: &bridgev2.UserLogin{UserLogin: &database.UserLogin{ID: networkid.UserLoginID(loginID)}}}
}

func portal(id networkid.PortalID) *bridgev2.Portal {
	return &bridgev2.Portal{Portal: &database.Portal{PortalKey: networkid.PortalKey{ID: id}}}
}

func TestClientBasics(t *testing.T) {
	n := New()
	n.SetName("bob", "Bob B")
	c := newTestClient(n, "alice")
	if !c.IsLoggedIn() {
		t.Error("IsLoggedIn = false")
	}
	for _, tc := range []struct {
		user networkid.UserID
		want bool
	}{{"alice", true}, {"bob", false}, {"", false}} {
		if got := c.IsThisUser(context.Background(), tc.user); got != tc.want {
			t.Errorf("IsThisUser(%q) = %v", tc.user, got)
		}
	}
	info, err := c.GetUserInfo(context.Background(), &bridgev2.Ghost{Ghost: &database.Ghost{ID: "bob"}})
	if err != nil || info.Name == nil || *info.Name != "Bob B" {
		t.Errorf("GetUserInfo(bob) = %+v, %v", info, err)
	}
	if caps := c.GetCapabilities(context.Background(), portal("dm:bob")); caps == nil || caps.ID == "" {
		t.Errorf("GetCapabilities = %+v", caps)
	}
}

func TestClientGetChatInfo(t *testing.T) {
	c := newTestClient(New(), "alice")
	info, err := c.GetChatInfo(context.Background(), portal("dm:bob"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Type == nil || *info.Type != database.RoomTypeDM {
		t.Errorf("room type = %v, want DM", info.Type)
	}
	m := info.Members
	if m == nil || !m.IsFull || m.OtherUserID != "bob" || len(m.MemberMap) != 2 {
		t.Fatalf("members = %+v", m)
	}
	if me := m.MemberMap["alice"]; !me.IsFromMe || me.Sender != "alice" {
		t.Errorf("own member = %+v", me)
	}
	if other := m.MemberMap["bob"]; other.IsFromMe || other.Sender != "bob" {
		t.Errorf("other member = %+v", other)
	}

	for _, id := range []networkid.PortalID{"group:1", "dm:", ""} {
		if _, err = c.GetChatInfo(context.Background(), portal(id)); !errors.Is(err, errUnsupported) {
			t.Errorf("GetChatInfo(%q) error = %v, want errUnsupported", id, err)
		}
	}
}

func TestClientHandleMatrixMessage(t *testing.T) {
	msg := func(msgType event.MessageType, body string) *bridgev2.MatrixMessage {
		m := &bridgev2.MatrixMessage{}
		m.Content = &event.MessageEventContent{MsgType: msgType, Body: body}
		m.Portal = portal("dm:bob")
		return m
	}
	tests := []struct {
		msgType event.MessageType
		wantErr bool
	}{
		{event.MsgText, false},
		{event.MsgNotice, false},
		{event.MsgEmote, false},
		{event.MsgImage, true},
		{event.MsgFile, true},
		{event.MsgLocation, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.msgType), func(t *testing.T) {
			n := New()
			c := newTestClient(n, "alice")
			resp, err := c.HandleMatrixMessage(context.Background(), msg(tt.msgType, "body of "+string(tt.msgType)))
			if tt.wantErr {
				if !errors.Is(err, errUnsupported) {
					t.Errorf("error = %v, want errUnsupported", err)
				}
				if len(n.outbox) != 0 {
					t.Errorf("unsupported message reached the outbox")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sent, err := n.WaitSent(time.Second)
			if err != nil {
				t.Fatal(err)
			}
			want := Sent{Login: "alice", Chat: "bob", Text: "body of " + string(tt.msgType), ID: "fm-1"}
			if sent != want {
				t.Errorf("sent %+v, want %+v", sent, want)
			}
			if resp == nil || resp.DB == nil || string(resp.DB.ID) != sent.ID || resp.DB.SenderID != "alice" || resp.DB.Timestamp.IsZero() {
				t.Errorf("response = %+v", resp)
			}
		})
	}
}

func TestClientHandleMatrixMessageOutboxFull(t *testing.T) {
	n := New()
	for i := 0; i < cap(n.outbox); i++ {
		n.outbox <- Sent{}
	}
	c := newTestClient(n, "alice")
	m := &bridgev2.MatrixMessage{}
	m.Content = &event.MessageEventContent{MsgType: event.MsgText, Body: "overflow"}
	m.Portal = portal("dm:bob")
	if _, err := c.HandleMatrixMessage(context.Background(), m); err == nil || !strings.Contains(err.Error(), "outbox is full") {
		t.Errorf("error = %v, want an outbox-full error", err)
	}
}

func TestSecrets(t *testing.T) {
	n := New()
	if got := n.Secrets(); len(got) != 0 {
		t.Errorf("Secrets of an empty network = %v", got)
	}
	n.AddAccount("alice", "alicepw")
	n.SetName("carol", "Carol")
	want := map[string]string{"fakenet password of alice": "alicepw", "fakenet token of alice": "token-alice"}
	if got := n.Secrets(); !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets = %v, want %v", got, want)
	}
}
