package demo

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/crypto"
	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
)

// seen is a message the test client received: the chat (user or channel ID) and the text.
type seen struct {
	chat int64
	from int64
	text string
}

// client is a Telegram app logged in as the demo account, over real MTProto, with the
// settings the demo's Info gives a bridge. gotd hands it updates concurrently: it keeps every
// message it received, in no particular order.
type client struct {
	api     *tg.Client
	mu      sync.Mutex
	msgs    []seen
	changed chan struct{} // closed and replaced on every new message
}

// connect logs in as the demo account with the phone and code of Info and calls fn, failing
// the test if fn returns an error.
func connect(ctx context.Context, t *testing.T, d *Demo, fn func(ctx context.Context, c *client) error) {
	t.Helper()
	info := d.Info()
	list := dcs.List{}
	for _, dc := range info.Config["network.servers.dcs"].([]map[string]any) {
		list.Options = append(list.Options, tg.DCOption{ID: dc["id"].(int), IPAddress: dc["host"].(string), Port: dc["port"].(int)})
	}
	var keys []telegram.PublicKey
	for _, pem := range info.Config["network.servers.public_keys"].([]string) {
		parsed, err := crypto.ParseRSAPublicKeys([]byte(pem))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range parsed {
			keys = append(keys, telegram.PublicKey{RSA: k})
		}
	}
	c := &client{changed: make(chan struct{})}
	handler := telegram.UpdateHandlerFunc(func(_ context.Context, u tg.UpdatesClass) error {
		upd, ok := u.(*tg.Updates)
		if !ok {
			return nil
		}
		for _, one := range upd.Updates {
			var raw tg.MessageClass
			switch one := one.(type) {
			case *tg.UpdateNewMessage:
				raw = one.Message
			case *tg.UpdateNewChannelMessage:
				raw = one.Message
			}
			msg, ok := raw.(*tg.Message)
			if !ok {
				continue
			}
			s := seen{text: msg.Message}
			switch p := msg.PeerID.(type) {
			case *tg.PeerUser:
				s.chat = p.UserID
			case *tg.PeerChannel:
				s.chat = p.ChannelID
			}
			if from, ok := msg.FromID.(*tg.PeerUser); ok {
				s.from = from.UserID
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, s)
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
		}
		return nil
	})
	tc := telegram.NewClient(info.Config["network.api_id"].(int), info.Config["network.api_hash"].(string), telegram.Options{
		SessionStorage: &session.StorageMemory{}, UpdateHandler: handler, DC: list.Options[0].ID, DCList: list,
		PublicKeys: keys, Resolver: dcs.Plain(dcs.PlainOptions{}),
	})
	c.api = tc.API()
	err := tc.Run(ctx, func(ctx context.Context) error {
		// Like the bridge, the app sends the number without its +.
		phone := strings.TrimPrefix(info.Phone, "+")
		sent, err := tc.Auth().SendCode(ctx, phone, auth.SendCodeOptions{})
		if err != nil {
			return err
		}
		code := sent.(*tg.AuthSentCode)
		if _, err = tc.Auth().SignIn(ctx, phone, info.Code, code.PhoneCodeHash); err != nil {
			return err
		}
		return fn(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor returns the first message in chat whose text contains want.
func (c *client) waitFor(chat int64, want string) (seen, error) {
	timeout := time.After(30 * time.Second)
	for {
		c.mu.Lock()
		msgs, changed := c.msgs, c.changed
		c.mu.Unlock()
		for _, s := range msgs {
			if s.chat == chat && strings.Contains(s.text, want) {
				return s, nil
			}
		}
		select {
		case <-changed:
		case <-timeout:
			return seen{}, fmt.Errorf("no message with %q in chat %d; saw %+v", want, chat, msgs)
		}
	}
}

func (c *client) send(ctx context.Context, peer tg.InputPeerClass, text string) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	_, err := c.api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: peer, Message: text, RandomID: int64(binary.LittleEndian.Uint64(b[:]))})
	return err
}

func startDemo(t *testing.T, opts Options) (context.Context, *Demo) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	d, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		d.Close()
	})
	return ctx, d
}

// TestDemoTalks logs in as the demo account and checks what a newcomer should see: greetings
// from every contact, the group and the channel, answers in a private chat and in the group,
// and timed posts.
func TestDemoTalks(t *testing.T) {
	ctx, d := startDemo(t, Options{Interval: 300 * time.Millisecond})
	connect(ctx, t, d, func(ctx context.Context, c *client) error {
		// Listing the chats says the client listens: only then do the contacts write.
		if _, err := c.api.MessagesGetDialogs(ctx, &tg.MessagesGetDialogsRequest{OffsetPeer: &tg.InputPeerEmpty{}, Limit: 100}); err != nil {
			return err
		}
		ada := d.Contacts[0]
		for _, w := range []struct {
			chat int64
			text string
		}{
			{ada.ID, "Hi, I'm Ada"}, {d.Contacts[1].ID, "Alan"}, {d.Contacts[2].ID, "Grace"},
			{d.Group.ID, "Welcome to the Demo Group"}, {d.Channel.ID, "Demo News: welcome"},
			{d.Channel.ID, "Demo News #1"}, {d.Channel.ID, "Demo News #2"},
		} {
			if _, err := c.waitFor(w.chat, w.text); err != nil {
				return err
			}
		}

		if err := c.send(ctx, &tg.InputPeerUser{UserID: ada.ID, AccessHash: ada.AccessHash}, "hello Ada"); err != nil {
			return err
		}
		got, err := c.waitFor(ada.ID, `you wrote "hello Ada"`)
		if err != nil {
			return err
		}
		if got.from != ada.ID {
			t.Errorf("answer from %d, want Ada (%d)", got.from, ada.ID)
		}
		if err = c.send(ctx, &tg.InputPeerChannel{ChannelID: d.Group.ID, AccessHash: d.Group.AccessHash}, "hello group"); err != nil {
			return err
		}
		if got, err = c.waitFor(d.Group.ID, `you wrote "hello group"`); err != nil {
			return err
		}
		if got.from == d.Account.User.ID || got.from == 0 {
			t.Errorf("group answer from %d, want a contact", got.from)
		}
		return nil
	})
}

// TestDemoWaitsForLogin checks that nobody writes before the account's client listens: a
// login alone (no chat list yet) is not enough, as the bridge lists its chats only once its
// updates loop runs, and a message pushed before would be lost to it.
func TestDemoWaitsForLogin(t *testing.T) {
	ctx, d := startDemo(t, Options{Interval: 10 * time.Millisecond})
	if _, err := d.Net.LoginSession(ctx, d.Account); err != nil {
		t.Fatal(err)
	}
	if !d.Net.LoggedIn(d.Account.User.ID) {
		t.Fatal("the account is not logged in after LoginSession")
	}
	// Several polls of Run, then the check: a positive wait is impossible for "nothing".
	time.Sleep(4 * pollEvery)
	d.mu.Lock()
	posts := d.posts
	d.mu.Unlock()
	if posts != 0 {
		t.Errorf("%d timed posts before the account listed its chats", posts)
	}
}

func TestInfoFile(t *testing.T) {
	d, err := Start(context.Background(), Options{Phone: "15550109999", Code: "11111"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	path := filepath.Join(t.TempDir(), "demo.json")
	if err = WriteInfo(path, d.Info()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Bridge, Phone, Code string
		Config              map[string]any
		Contacts            []string
	}
	if err = json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Bridge != "telegram" || got.Phone != "+15550109999" || got.Code != "11111" || len(got.Contacts) != len(cast) {
		t.Errorf("info = %+v", got)
	}
	for _, key := range []string{"network.api_id", "network.api_hash", "network.servers.dcs", "network.servers.public_keys"} {
		if got.Config[key] == nil {
			t.Errorf("config lacks %s: %s", key, data)
		}
	}
	dcs, _ := got.Config["network.servers.dcs"].([]any)
	if len(dcs) != 1 {
		t.Errorf("dcs = %v", got.Config["network.servers.dcs"])
	}
}

func TestAnswerText(t *testing.T) {
	long := strings.Repeat("x", 100)
	for _, tt := range []struct {
		name string
		sent tgfake.Sent
		want []string
	}{
		{"text", tgfake.Sent{Kind: "message", Text: "hi there"}, []string{"Ada: ", `"hi there"`}},
		{"long text is cut", tgfake.Sent{Kind: "message", Text: long}, []string{strings.Repeat("x", 60) + "…"}},
		{"media", tgfake.Sent{Kind: "media", Media: "photo"}, []string{"thanks for the photo"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := answerText("Ada", tt.sent)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("answerText = %q, want it to contain %q", got, w)
				}
			}
			if strings.Contains(got, long) {
				t.Errorf("answerText kept all of a long text: %q", got)
			}
		})
	}
}

func TestLines(t *testing.T) {
	for n := 1; n <= 2*len(headlines); n++ {
		if h := headline(n); !strings.HasPrefix(h, ChannelTitle+" #") || h == "" {
			t.Errorf("headline(%d) = %q", n, h)
		}
		if groupChatter(n) == "" {
			t.Errorf("groupChatter(%d) is empty", n)
		}
	}
	for _, c := range cast {
		if g := greeting(&tg.User{FirstName: c.first}); !strings.Contains(g, c.first) {
			t.Errorf("greeting of %s = %q", c.first, g)
		}
	}
}
