package tgfake

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
)

// TestLinkDropAndRestore drops a connected client's link: the client sees its connection die,
// its reconnections are refused, a message delivered meanwhile is not pushed but kept for the
// difference, and after Restore the client's waiting request goes through on a new connection.
func TestLinkDropAndRestore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	acct := n.AddAccount("Ana", "15550000011", "24680")
	contact := n.AddUser("Bo", "", "", "15550000012")
	data, err := n.LoginSession(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	storage := &session.StorageMemory{}
	if err = storage.StoreSession(ctx, data); err != nil {
		t.Fatal(err)
	}
	var keys []telegram.PublicKey
	for _, k := range n.cluster.Keys() {
		keys = append(keys, telegram.PublicKey{RSA: k.RSA})
	}
	states := make(chan telegram.ConnectionState, 64)
	client := telegram.NewClient(1, "fake", telegram.Options{SessionStorage: storage, NoUpdates: true,
		DC: DCID, DCList: n.cluster.List(), PublicKeys: keys, Resolver: dcs.Plain(dcs.PlainOptions{}),
		OnConnectionState: func(s telegram.ConnectionState) { states <- s }})
	// The callback of client.Run runs in a goroutine of its own: it returns errors, and
	// t.Error (not t.Fatal) is safe there.
	wait := func(want telegram.ConnectionState) error {
		for {
			select {
			case s := <-states:
				if s == want {
					return nil
				}
			case <-ctx.Done():
				return fmt.Errorf("connection state %s never came", want)
			}
		}
	}
	link := n.Link(acct)
	err = client.Run(ctx, func(ctx context.Context) error {
		if _, err := client.Self(ctx); err != nil {
			return err
		}
		before := n.DroppedConnections()
		if err := link.Drop(ctx); err != nil {
			return err
		}
		if err := wait(telegram.ConnectionStateDisconnected); err != nil {
			return err
		}
		// A reconnection was refused: the connection closed, and one more attempt after it.
		for n.DroppedConnections() < before+2 && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := n.Deliver(ctx, acct, contact, "while away"); err != nil {
			return err
		}
		n.mu.Lock()
		_, pushed := n.sessions[acct.User.ID]
		n.mu.Unlock()
		if pushed {
			t.Error("the dropped account still has a session for pushed updates")
		}
		self := make(chan error, 1)
		go func() {
			_, err := client.Self(ctx)
			self <- err
		}()
		if err := link.Restore(ctx); err != nil {
			return err
		}
		if err := <-self; err != nil {
			t.Errorf("request made during the drop: %v", err)
		}
		diff, err := client.API().UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{})
		if err != nil {
			return err
		}
		d, ok := diff.(*tg.UpdatesDifference)
		if !ok || len(d.NewMessages) != 1 || d.NewMessages[0].(*tg.Message).Message != "while away" {
			t.Errorf("difference after the drop = %+v, want the message delivered meanwhile", diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := link.Restore(ctx); err == nil {
		t.Error("Restore of a link that is not dropped succeeded")
	}
}
