package matrixtest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
)

// DefaultTimeout bounds every wait unless a test passes its own.
var DefaultTimeout = 30 * time.Second

// User is a logged-in Matrix user whose sync loop runs until the test ends.
type User struct {
	*mautrix.Client
	log    *eventLog
	cancel context.CancelFunc
	done   chan struct{}
}

// Account is what a homeserver returns for a new user (see synapse.Account).
type Account struct {
	UserID      string
	AccessToken string
	DeviceID    string
}

// Login starts a User from an existing access token and begins syncing. The sync loop stops
// when the test (or t's cleanup) ends.
func Login(t testing.TB, homeserverURL string, acct Account) *User {
	t.Helper()
	u, err := Start(homeserverURL, acct)
	if err != nil {
		t.Fatalf("matrixtest: log in %s: %v", acct.UserID, err)
	}
	t.Cleanup(u.Close)
	return u
}

// Start is Login without a testing.TB, for TestMain-level users and the dev stack.
func Start(homeserverURL string, acct Account) (*User, error) {
	cli, err := mautrix.NewClient(homeserverURL, id.UserID(acct.UserID), acct.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("create client: %w", err)
	}
	cli.DeviceID = id.DeviceID(acct.DeviceID)
	ctx, cancel := context.WithCancel(context.Background())
	u := &User{Client: cli, log: newEventLog(), cancel: cancel, done: make(chan struct{})}
	// The first sync establishes the starting point; failing it means the token is bad.
	since, err := u.syncOnce(ctx, "", 0)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("initial sync: %w", err)
	}
	go u.syncLoop(ctx, since)
	return u, nil
}

// Close stops the sync loop and waits for it to end.
func (u *User) Close() {
	u.cancel()
	<-u.done
}

func (u *User) syncLoop(ctx context.Context, since string) {
	defer close(u.done)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		next, err := u.syncOnce(ctx, since, 10*time.Second)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return
			}
			u.log.noteError(err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 2*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		since = next
	}
}

// syncFilter keeps long timelines so that events sent just before a join are not cut off.
const syncFilter = `{"room":{"timeline":{"limit":100},"state":{"lazy_load_members":false}}}`

func (u *User) syncOnce(ctx context.Context, since string, timeout time.Duration) (string, error) {
	resp, err := u.Client.FullSyncRequest(ctx, mautrix.ReqSync{
		Timeout:  int(timeout / time.Millisecond),
		Since:    since,
		FilterID: syncFilter,
	})
	if err != nil {
		return since, err
	}
	u.log.record(resp)
	return resp.NextBatch, nil
}
