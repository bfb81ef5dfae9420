package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"maunium.net/go/mautrix/bridgev2"
)

// Login flow IDs besides FlowPhone.
const (
	FlowQR  = "qr"
	FlowBot = "bot"
)

// qrLogin shows a login QR code, refreshed before each one expires, until a logged-in Telegram
// app scans it (Settings → Devices → Link Desktop Device).
type qrLogin struct {
	*loginConn
	qr       qrlogin.QR
	token    qrlogin.Token
	loggedIn chan struct{}
	password bool
}

var (
	_ bridgev2.LoginProcessDisplayAndWait = (*qrLogin)(nil)
	_ bridgev2.LoginProcessUserInput      = (*qrLogin)(nil)
)

func (lq *qrLogin) Start(ctx context.Context) (*bridgev2.LoginStep, error) {
	d := tg.NewUpdateDispatcher()
	lq.loggedIn = make(chan struct{}, 1)
	// gotd's own helper drops the signal when nobody waits at that instant; keep it instead.
	d.OnLoginToken(func(context.Context, tg.Entities, *tg.UpdateLoginToken) error {
		select {
		case lq.loggedIn <- struct{}{}:
		default:
		}
		return nil
	})
	if err := lq.connect(ctx, d); err != nil {
		return nil, err
	}
	lq.qr = qrlogin.NewQR(lq.client.API(), lq.conn.Config.APIID, lq.conn.Config.APIHash, qrlogin.Options{})
	return lq.export(ctx)
}

// export asks Telegram for a fresh login token and shows it.
func (lq *qrLogin) export(ctx context.Context) (*bridgev2.LoginStep, error) {
	token, err := lq.qr.Export(ctx)
	if err != nil {
		lq.Cancel()
		return nil, fmt.Errorf("get login QR code: %w", err)
	}
	lq.token = token
	return &bridgev2.LoginStep{
		Type:         bridgev2.LoginStepTypeDisplayAndWait,
		StepID:       "fi.mxb.telegram.qr",
		Instructions: "Scan this QR code with a Telegram app where you are logged in: Settings → Devices → Link Desktop Device.",
		DisplayAndWaitParams: &bridgev2.LoginDisplayAndWaitParams{
			Type: bridgev2.LoginDisplayTypeQR, Data: token.URL(),
		},
	}, nil
}

// Wait waits for the code to be scanned, refreshing it when it expires.
func (lq *qrLogin) Wait(ctx context.Context) (*bridgev2.LoginStep, error) {
	timer := time.NewTimer(max(time.Until(lq.token.Expires()), time.Second))
	defer timer.Stop()
	select {
	case <-lq.loggedIn:
		authz, err := lq.qr.Import(ctx)
		if tgerr.Is(err, "SESSION_PASSWORD_NEEDED") {
			lq.password = true
			return passwordStep(), nil
		} else if err != nil {
			lq.Cancel()
			return nil, fmt.Errorf("complete QR login: %w", err)
		}
		return lq.finish(ctx, authz, "")
	case <-timer.C:
		return lq.export(ctx)
	case <-ctx.Done():
		lq.Cancel()
		return nil, ctx.Err()
	}
}

// SubmitUserInput takes the two-step-verification password after a scan.
func (lq *qrLogin) SubmitUserInput(ctx context.Context, input map[string]string) (*bridgev2.LoginStep, error) {
	if !lq.password {
		return nil, fmt.Errorf("QR login: no input expected")
	}
	return lq.submitPassword(ctx, input["password"], "")
}
