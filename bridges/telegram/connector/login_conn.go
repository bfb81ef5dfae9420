package connector

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// loginConn is the temporary MTProto connection a login flow runs on, and the steps every
// flow shares: the two-step-verification password and turning the new session into a login.
type loginConn struct {
	conn *Connector
	user *bridgev2.User

	mu      sync.Mutex
	storage *loginStorage
	client  *telegram.Client
	ready   chan struct{}
	runErr  error
	stop    context.CancelFunc
}

// connect starts the connection (with an update handler, if the flow needs updates) and waits
// until it can be used.
func (lc *loginConn) connect(ctx context.Context, handler telegram.UpdateHandler) error {
	lc.storage = &loginStorage{stored: make(chan struct{})}
	client, err := newTelegram(lc.conn, lc.storage, handler, nil)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	lc.client, lc.stop, lc.ready = client, stop, make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := client.Run(runCtx, func(ctx context.Context) error {
			close(lc.ready)
			<-ctx.Done()
			return nil
		})
		lc.mu.Lock()
		lc.runErr = err
		lc.mu.Unlock()
	}()
	select {
	case <-lc.ready:
		return nil
	case <-done:
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return fmt.Errorf("connect to Telegram: %w", lc.runErr)
	case <-ctx.Done():
		stop()
		return ctx.Err()
	}
}

func passwordStep() *bridgev2.LoginStep {
	return inputStep("fi.mxb.telegram.password", "Your account has two-step verification. Enter your password.",
		bridgev2.LoginInputDataField{Type: bridgev2.LoginInputFieldTypePassword, ID: "password", Name: "Password"})
}

// submitPassword completes a login that needs the two-step-verification password.
func (lc *loginConn) submitPassword(ctx context.Context, password, phone string) (*bridgev2.LoginStep, error) {
	authz, err := lc.client.Auth().Password(ctx, password)
	if errors.Is(err, auth.ErrPasswordInvalid) {
		lc.Cancel()
		return nil, ErrBadPassword
	} else if err != nil {
		lc.Cancel()
		return nil, fmt.Errorf("check password: %w", err)
	}
	return lc.finish(ctx, authz, phone)
}

// finish stores the new session with a login and starts its permanent connection.
func (lc *loginConn) finish(ctx context.Context, authz *tg.AuthAuthorization, phone string) (*bridgev2.LoginStep, error) {
	defer lc.Cancel()
	me, ok := authz.User.(*tg.User)
	if !ok {
		return nil, fmt.Errorf("sign in: Telegram returned no user")
	}
	// gotd marks a connection ready just before it saves the session: wait for the save.
	select {
	case <-lc.storage.stored:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(sessionSaveTimeout):
		return nil, fmt.Errorf("read new session: the Telegram library did not save it within %s", sessionSaveTimeout)
	}
	sess, err := lc.storage.LoadSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("read new session: %w", err)
	}
	info := userInfo(me)
	ul, err := lc.user.NewLogin(ctx, &database.UserLogin{
		ID:         ids.LoginID(me.ID),
		RemoteName: *info.Name,
		Metadata:   &LoginMetadata{Session: sess, Phone: phone},
	}, &bridgev2.NewLoginParams{DeleteOnConflict: true})
	if err != nil {
		return nil, fmt.Errorf("save login: %w", err)
	}
	ul.Client.(*Client).remember(me)
	ul.Client.Connect(ul.Log.WithContext(context.WithoutCancel(ctx)))
	return &bridgev2.LoginStep{
		Type:           bridgev2.LoginStepTypeComplete,
		StepID:         "fi.mxb.telegram.complete",
		Instructions:   "Successfully logged in as " + *info.Name,
		CompleteParams: &bridgev2.LoginCompleteParams{UserLoginID: ul.ID, UserLogin: ul},
	}, nil
}

// sessionSaveTimeout bounds the wait for the login connection's session to be saved.
const sessionSaveTimeout = 10 * time.Second

// loginStorage keeps a login connection's session in memory and tells when it was saved.
type loginStorage struct {
	session.StorageMemory
	once   sync.Once
	stored chan struct{}
}

func (s *loginStorage) StoreSession(ctx context.Context, data []byte) error {
	err := s.StorageMemory.StoreSession(ctx, data)
	if err == nil {
		s.once.Do(func() { close(s.stored) })
	}
	return err
}

// Cancel closes the login's connection.
func (lc *loginConn) Cancel() {
	if lc.stop != nil {
		lc.stop()
	}
}
