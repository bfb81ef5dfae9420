package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/tgerr"
	"maunium.net/go/mautrix/bridgev2"
)

// botLogin logs in with a bot token from @BotFather; bot logins are meant for relay mode.
type botLogin struct{ *loginConn }

var _ bridgev2.LoginProcessUserInput = (*botLogin)(nil)

func (lb *botLogin) Start(context.Context) (*bridgev2.LoginStep, error) {
	return inputStep("fi.mxb.telegram.bot_token", "Enter the bot token @BotFather gave you (like 123456:ABC-DEF…).",
		bridgev2.LoginInputDataField{Type: bridgev2.LoginInputFieldTypeToken, ID: "token", Name: "Bot token"}), nil
}

func (lb *botLogin) SubmitUserInput(ctx context.Context, input map[string]string) (*bridgev2.LoginStep, error) {
	if err := lb.connect(ctx, nil); err != nil {
		return nil, err
	}
	authz, err := lb.client.Auth().Bot(ctx, input["token"])
	if tgerr.Is(err, "ACCESS_TOKEN_INVALID", "ACCESS_TOKEN_EXPIRED", "BOT_TOKEN_INVALID") {
		lb.Cancel()
		return nil, ErrBadBotToken
	} else if err != nil {
		lb.Cancel()
		return nil, fmt.Errorf("log in as bot: %w", err)
	}
	return lb.finish(ctx, authz, "")
}
