//go:build integration

package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"

	"github.com/mxbridges/mxbridges/pkg/bridgetest"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// syncBuffer is a bytes.Buffer safe for the writer goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startDev runs the dev stack in the background and returns it once it is up.
func startDev(t *testing.T, opts options) (*stack, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	ready := make(chan *stack, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, opts, out, func(st *stack) { ready <- st }) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute):
			t.Fatal("dev stack did not stop within a minute")
			return nil
		}
	}
	select {
	case st := <-ready:
		return st, out, stop
	case err := <-done:
		cancel()
		t.Fatalf("dev stack ended before it was up: %v\noutput:\n%s", err, out)
	case <-time.After(5 * time.Minute):
		cancel()
		t.Fatalf("dev stack not up after 5 minutes; output:\n%s", out)
	}
	return nil, nil, nil
}

func TestDevStackWithBridge(t *testing.T) {
	bin, err := bridgetest.BuildBinary(context.Background(), "github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet/cmd/fakenet-bridge", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, out, stop := startDev(t, options{bridges: bridgeList{bin}, user: "devtest", password: "devtest-pw"})
	bot := st.bridges[0].BotMXID()
	for _, want := range []string{"The mxbridges dev stack is up", st.synapse.URL, "@devtest:localhost", "devtest-pw", bot.String()} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}

	// A newcomer logs in with the printed password and talks to the bridge bot.
	cli, err := mautrix.NewClient(st.synapse.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := cli.Login(context.Background(), &mautrix.ReqLogin{
		Type:       mautrix.AuthTypePassword,
		Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: "devtest"},
		Password:   "devtest-pw",
	})
	if err != nil {
		t.Fatalf("log in with the printed credentials: %v", err)
	}
	u := matrixtest.Login(t, st.synapse.URL, matrixtest.Account{UserID: resp.UserID.String(), AccessToken: resp.AccessToken, DeviceID: resp.DeviceID.String()})
	c := u.Cursor()
	room := u.CreateDM(t, bot)
	u.WaitFor(t, room, c, "the bot's welcome", matrixtest.MessageFrom(bot, "Hello, I'm a Fake Network bridge bot"))
	c = u.Cursor()
	u.SendText(t, room, "help")
	u.WaitFor(t, room, c, "help from the bot", matrixtest.MessageFrom(bot, "Authentication"))

	if err = stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	for _, dir := range []string{st.dir, st.synapse.Dir} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s still exists after the stack stopped (err %v)", dir, err)
		}
	}
	if r, err := http.Get(st.synapse.URL + "/_matrix/client/versions"); err == nil {
		r.Body.Close()
		t.Error("Synapse still answers after the stack stopped")
	}
}

func TestDevStackWithoutBridges(t *testing.T) {
	_, out, stop := startDev(t, options{user: "alone", password: "alone-pw"})
	if !strings.Contains(out.String(), "running Synapse alone") {
		t.Errorf("summary does not say Synapse runs alone:\n%s", out)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
