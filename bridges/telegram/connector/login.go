package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"maunium.net/go/mautrix/bridgev2"
)

// FlowPhone is the phone-number login: phone → code → password (when 2FA is on).
const FlowPhone = "phone"

func (c *Connector) GetLoginFlows() []bridgev2.LoginFlow {
	return []bridgev2.LoginFlow{
		{ID: FlowPhone, Name: "Phone number", Description: "Log in with your phone number and the code Telegram sends you."},
		{ID: FlowQR, Name: "QR code", Description: "Scan a QR code with a Telegram app where you are logged in."},
		{ID: FlowBot, Name: "Bot token", Description: "Log in as a bot made with @BotFather, to relay a chat."},
	}
}

func (c *Connector) CreateLogin(_ context.Context, user *bridgev2.User, flowID string) (bridgev2.LoginProcess, error) {
	if c.Config.APIID == 0 || c.Config.APIHash == "" {
		return nil, ErrNoCredentials
	}
	lc := &loginConn{conn: c, user: user}
	switch flowID {
	case FlowPhone:
		return &phoneLogin{loginConn: lc}, nil
	case FlowQR:
		return &qrLogin{loginConn: lc}, nil
	case FlowBot:
		return &botLogin{loginConn: lc}, nil
	}
	return nil, fmt.Errorf("create login: unknown flow %q", flowID)
}

// phoneLogin is the phone → code → password flow.
type phoneLogin struct {
	*loginConn
	stage string // "phone", "code", "password"
	phone string
	hash  string
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

func (lp *phoneLogin) SubmitUserInput(ctx context.Context, input map[string]string) (*bridgev2.LoginStep, error) {
	switch lp.stage {
	case "phone":
		return lp.submitPhone(ctx, input["phone"])
	case "code":
		return lp.submitCode(ctx, strings.TrimSpace(input["code"]))
	case "password":
		return lp.submitPassword(ctx, input["password"], lp.phone)
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
	if err := lp.connect(ctx, nil); err != nil {
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
		return passwordStep(), nil
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
	return lp.finish(ctx, authz, lp.phone)
}
