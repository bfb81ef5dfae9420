package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"

	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
)

// FlowPhone is the phone-number login: phone → code → password (when 2FA is on).
const FlowPhone = "phone"

// Login errors, as the user sees them.
var (
	ErrBadCode       = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_CODE", Err: "That code is wrong. Start again with `login phone`.", StatusCode: 403}
	ErrCodeExpired   = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.CODE_EXPIRED", Err: "That code has expired. Start again with `login phone`.", StatusCode: 403}
	ErrBadPassword   = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_PASSWORD", Err: "That two-step verification password is wrong. Start again with `login phone`.", StatusCode: 403}
	ErrBadPhone      = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.BAD_PHONE", Err: "Telegram does not accept that phone number: give it with the country code.", StatusCode: 400}
	ErrNoCredentials = bridgev2.RespError{ErrCode: "FI.MXB.TELEGRAM.NOT_CONFIGURED", Err: "The bridge has no Telegram API credentials; ask the admin to set network.api_id and api_hash.", StatusCode: 500}
)

func (c *Connector) GetLoginFlows() []bridgev2.LoginFlow {
	return []bridgev2.LoginFlow{{ID: FlowPhone, Name: "Phone number", Description: "Log in with your phone number and the code Telegram sends you."}}
}

func (c *Connector) CreateLogin(_ context.Context, user *bridgev2.User, flowID string) (bridgev2.LoginProcess, error) {
	if flowID != FlowPhone {
		return nil, fmt.Errorf("create login: unknown flow %q", flowID)
	}
	if c.Config.APIID == 0 || c.Config.APIHash == "" {
		return nil, ErrNoCredentials
	}
	return &phoneLogin{conn: c, user: user}, nil
}

// phoneLogin runs a temporary MTProto connection for the duration of the login.
type phoneLogin struct {
	conn *Connector
	user *bridgev2.User

	mu      sync.Mutex
	stage   string // "phone", "code", "password"
	phone   string
	hash    string
	storage *session.StorageMemory
	client  *telegram.Client
	ready   chan struct{}
	runErr  error
	stop    context.CancelFunc
}

var _ bridgev2.LoginProcessUserInput = (*phoneLogin)(nil)

func (lp *phoneLogin) Start(context.Context) (*bridgev2.LoginStep, error) {
	lp.stage = "phone"
	return inputStep("fi.mxb.telegram.phone", "Enter your Telegram phone number, with the country code.",
		bridgev2.LoginInputDataField{Type: bridgev2.LoginInputFieldTypePhoneNumber, ID: "phone", Name: "Phone number"}), nil
}

func inputStep(id, instructions string, field bridgev2.LoginInputDataField) *bridgev2.LoginStep {
	return &bridgev2.LoginStep{
		Type: bridgev2.LoginStepTypeUserInput, StepID: id, Instructions: instructions,
		UserInputParams: &bridgev2.LoginUserInputParams{Fields: []bridgev2.LoginInputDataField{field}},
	}
}

// connect starts the login's MTProto connection and waits until it can be used.
func (lp *phoneLogin) connect(ctx context.Context) error {
	lp.storage = &session.StorageMemory{}
	client, err := newTelegram(lp.conn, lp.storage, nil)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	lp.client, lp.stop, lp.ready = client, stop, make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := client.Run(runCtx, func(ctx context.Context) error {
			close(lp.ready)
			<-ctx.Done()
			return nil
		})
		lp.mu.Lock()
		lp.runErr = err
		lp.mu.Unlock()
	}()
	select {
	case <-lp.ready:
		return nil
	case <-done:
		return fmt.Errorf("connect to Telegram: %w", lp.runErr)
	case <-ctx.Done():
		stop()
		return ctx.Err()
	}
}

func (lp *phoneLogin) SubmitUserInput(ctx context.Context, input map[string]string) (*bridgev2.LoginStep, error) {
	switch lp.stage {
	case "phone":
		return lp.submitPhone(ctx, input["phone"])
	case "code":
		return lp.submitCode(ctx, strings.TrimSpace(input["code"]))
	case "password":
		return lp.submitPassword(ctx, input["password"])
	}
	return nil, fmt.Errorf("login: unexpected input at stage %q", lp.stage)
}

func (lp *phoneLogin) submitPhone(ctx context.Context, phone string) (*bridgev2.LoginStep, error) {
	lp.phone = strings.TrimPrefix(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, phone), "+")
	if err := lp.connect(ctx); err != nil {
		return nil, err
	}
	sent, err := lp.client.Auth().SendCode(ctx, lp.phone, auth.SendCodeOptions{})
	if tgerr.Is(err, "PHONE_NUMBER_INVALID") {
		lp.Cancel()
		return nil, ErrBadPhone
	} else if err != nil {
		lp.Cancel()
		return nil, fmt.Errorf("request login code: %w", err)
	}
	code, ok := sent.(*tg.AuthSentCode)
	if !ok {
		lp.Cancel()
		return nil, fmt.Errorf("request login code: unexpected answer %T", sent)
	}
	lp.hash, lp.stage = code.PhoneCodeHash, "code"
	return inputStep("fi.mxb.telegram.code", "Enter the login code Telegram sent you (in the Telegram app, or by SMS).",
		bridgev2.LoginInputDataField{Type: bridgev2.LoginInputFieldType2FACode, ID: "code", Name: "Login code"}), nil
}

func (lp *phoneLogin) submitCode(ctx context.Context, code string) (*bridgev2.LoginStep, error) {
	authz, err := lp.client.Auth().SignIn(ctx, lp.phone, code, lp.hash)
	switch {
	case errors.Is(err, auth.ErrPasswordAuthNeeded):
		lp.stage = "password"
		return inputStep("fi.mxb.telegram.password", "Your account has two-step verification. Enter your password.",
			bridgev2.LoginInputDataField{Type: bridgev2.LoginInputFieldTypePassword, ID: "password", Name: "Password"}), nil
	case tgerr.Is(err, "PHONE_CODE_INVALID", "PHONE_CODE_EMPTY"):
		lp.Cancel()
		return nil, ErrBadCode
	case tgerr.Is(err, "PHONE_CODE_EXPIRED"):
		lp.Cancel()
		return nil, ErrCodeExpired
	case err != nil:
		lp.Cancel()
		return nil, fmt.Errorf("sign in: %w", err)
	}
	return lp.finish(ctx, authz)
}

func (lp *phoneLogin) submitPassword(ctx context.Context, password string) (*bridgev2.LoginStep, error) {
	authz, err := lp.client.Auth().Password(ctx, password)
	if errors.Is(err, auth.ErrPasswordInvalid) {
		lp.Cancel()
		return nil, ErrBadPassword
	} else if err != nil {
		lp.Cancel()
		return nil, fmt.Errorf("check password: %w", err)
	}
	return lp.finish(ctx, authz)
}

// finish stores the new session with a login and starts its permanent connection.
func (lp *phoneLogin) finish(ctx context.Context, authz *tg.AuthAuthorization) (*bridgev2.LoginStep, error) {
	defer lp.Cancel()
	me, ok := authz.User.(*tg.User)
	if !ok {
		return nil, fmt.Errorf("sign in: Telegram returned no user")
	}
	sess, err := lp.storage.LoadSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("read new session: %w", err)
	}
	info := userInfo(me)
	ul, err := lp.user.NewLogin(ctx, &database.UserLogin{
		ID:         ids.LoginID(me.ID),
		RemoteName: *info.Name,
		Metadata:   &LoginMetadata{Session: sess, Phone: lp.phone},
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

// Cancel closes the login's connection.
func (lp *phoneLogin) Cancel() {
	if lp.stop != nil {
		lp.stop()
	}
}
