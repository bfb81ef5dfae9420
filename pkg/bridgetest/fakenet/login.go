package fakenet

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/networkid"
)

// Login flow IDs. Two flows, so that `login` without an argument lists them.
const (
	FlowPassword = "password"
	FlowToken    = "token"
)

// ErrBadCredentials is what a login with a wrong password or token ends in.
var ErrBadCredentials = bridgev2.RespError{ErrCode: "FI.MXB.FAKENET.BAD_CREDENTIALS", Err: "Wrong username, password or token", StatusCode: 403}

func (c *Connector) GetLoginFlows() []bridgev2.LoginFlow {
	return []bridgev2.LoginFlow{
		{ID: FlowPassword, Name: "Password", Description: "Log in with a fake-network username and password."},
		{ID: FlowToken, Name: "Token", Description: "Log in with a fake-network access token."},
	}
}

func (c *Connector) CreateLogin(_ context.Context, user *bridgev2.User, flowID string) (bridgev2.LoginProcess, error) {
	switch flowID {
	case FlowPassword, FlowToken:
		return &loginProcess{net: c.net, user: user, flow: flowID}, nil
	default:
		return nil, fmt.Errorf("create login: unknown flow %q", flowID)
	}
}

type loginProcess struct {
	net  *Network
	user *bridgev2.User
	flow string
}

var _ bridgev2.LoginProcessUserInput = (*loginProcess)(nil)

func (lp *loginProcess) Start(context.Context) (*bridgev2.LoginStep, error) {
	step := &bridgev2.LoginStep{
		Type:            bridgev2.LoginStepTypeUserInput,
		StepID:          "fi.mxb.fakenet." + lp.flow,
		UserInputParams: &bridgev2.LoginUserInputParams{},
	}
	if lp.flow == FlowPassword {
		step.Instructions = "Enter your fake-network username and password."
		step.UserInputParams.Fields = []bridgev2.LoginInputDataField{
			{Type: bridgev2.LoginInputFieldTypeUsername, ID: "username", Name: "Username"},
			{Type: bridgev2.LoginInputFieldTypePassword, ID: "password", Name: "Password"},
		}
	} else {
		step.Instructions = "Enter your fake-network access token (token-<username>)."
		step.UserInputParams.Fields = []bridgev2.LoginInputDataField{
			{Type: bridgev2.LoginInputFieldTypeToken, ID: "token", Name: "Token"},
		}
	}
	return step, nil
}

func (lp *loginProcess) SubmitUserInput(ctx context.Context, input map[string]string) (*bridgev2.LoginStep, error) {
	var username string
	switch lp.flow {
	case FlowPassword:
		username = input["username"]
		if !lp.net.checkPassword(username, input["password"]) {
			return nil, ErrBadCredentials
		}
	case FlowToken:
		var ok bool
		username, ok = strings.CutPrefix(input["token"], "token-")
		if !ok || !lp.net.hasAccount(username) {
			return nil, ErrBadCredentials
		}
	}
	ul, err := lp.user.NewLogin(ctx, &database.UserLogin{
		ID:         networkid.UserLoginID(username),
		RemoteName: username,
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("save login: %w", err)
	}
	ul.Client.Connect(ul.Log.WithContext(context.WithoutCancel(ctx)))
	return &bridgev2.LoginStep{
		Type:           bridgev2.LoginStepTypeComplete,
		StepID:         "fi.mxb.fakenet.complete",
		Instructions:   "Logged in as " + username,
		CompleteParams: &bridgev2.LoginCompleteParams{UserLoginID: ul.ID, UserLogin: ul},
	}, nil
}

func (lp *loginProcess) Cancel() {}

// errUnsupported marks what the fake network deliberately cannot do.
var errUnsupported = errors.New("not supported by the fake network")
