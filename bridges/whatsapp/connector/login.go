package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	waLog "go.mau.fi/whatsmeow/util/log"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/bridgev2/status"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
)

// Login flow IDs.
const (
	FlowQR    = "qr"
	FlowPhone = "phone"
)

// Login step IDs.
const (
	stepQR       = "fi.mxb.whatsapp.qr"
	stepPhone    = "fi.mxb.whatsapp.phone_number"
	stepCode     = "fi.mxb.whatsapp.pairing_code"
	stepComplete = "fi.mxb.whatsapp.complete"
)

func (c *Connector) GetLoginFlows() []bridgev2.LoginFlow {
	return []bridgev2.LoginFlow{
		{ID: FlowQR, Name: "QR code", Description: "Scan a QR code with WhatsApp on your phone (Settings → Linked devices → Link a device)."},
		{ID: FlowPhone, Name: "Pairing code", Description: "Give your phone number, then type the code the bot shows into WhatsApp on your phone."},
	}
}

func (c *Connector) CreateLogin(_ context.Context, user *bridgev2.User, flowID string) (bridgev2.LoginProcess, error) {
	if flowID != FlowQR && flowID != FlowPhone {
		return nil, fmt.Errorf("create login: unknown flow %q", flowID)
	}
	return &loginProcess{conn: c, user: user, flow: flowID}, nil
}

// loginProcess links a new device: it connects an unpaired whatsmeow client and follows its
// pairing channel until the phone confirms.
type loginProcess struct {
	conn   *Connector
	user   *bridgev2.User
	flow   string
	device *store.Device
	cli    wa.Client
	qr     <-chan whatsmeow.QRChannelItem
	cancel context.CancelFunc

	mu   sync.Mutex
	done bool
}

var (
	_ bridgev2.LoginProcessDisplayAndWait = (*loginProcess)(nil)
	_ bridgev2.LoginProcessUserInput      = (*loginProcess)(nil)
)

func (lp *loginProcess) Start(ctx context.Context) (*bridgev2.LoginStep, error) {
	// The pairing channel lives as long as the login, not as long as the command that started it.
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	lp.cancel = cancel
	lp.device = lp.conn.Devices.NewDevice()
	lp.cli = lp.conn.NewClient(lp.device, waLog.Zerolog(lp.user.Log.With().Str("component", "whatsmeow-login").Logger()))
	var err error
	if lp.qr, err = lp.cli.GetQRChannel(bg); err != nil {
		cancel()
		return nil, fmt.Errorf("open pairing channel: %w", err)
	}
	if err = lp.cli.Connect(); err != nil {
		cancel()
		return nil, fmt.Errorf("connect to WhatsApp: %w", err)
	}
	if lp.flow == FlowPhone {
		return &bridgev2.LoginStep{
			Type:         bridgev2.LoginStepTypeUserInput,
			StepID:       stepPhone,
			Instructions: "Enter the phone number of your WhatsApp account, with the country code.",
			UserInputParams: &bridgev2.LoginUserInputParams{Fields: []bridgev2.LoginInputDataField{{
				Type: bridgev2.LoginInputFieldTypePhoneNumber, ID: "phone", Name: "Phone number",
			}}},
		}, nil
	}
	return lp.next(ctx)
}

// SubmitUserInput takes the phone number of the pairing-code flow and asks WhatsApp for a code.
func (lp *loginProcess) SubmitUserInput(ctx context.Context, input map[string]string) (*bridgev2.LoginStep, error) {
	phone := normalizePhone(input["phone"])
	if len(phone) < 7 || len(phone) > 15 {
		return nil, ErrBadPhone
	}
	// WhatsApp hands out a pairing code only once the connection shows its first QR code.
	item, err := lp.read(ctx)
	if err != nil {
		return nil, err
	}
	if item.Event != whatsmeow.QRChannelEventCode {
		return nil, lp.itemError(item)
	}
	code, err := lp.cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		return nil, fmt.Errorf("request pairing code: %w", err)
	}
	return &bridgev2.LoginStep{
		Type:                 bridgev2.LoginStepTypeDisplayAndWait,
		StepID:               stepCode,
		Instructions:         "On your phone, open WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, and enter this code:",
		DisplayAndWaitParams: &bridgev2.LoginDisplayAndWaitParams{Type: bridgev2.LoginDisplayTypeCode, Data: code},
	}, nil
}

// Wait follows the pairing channel: a new QR code refreshes the displayed one, success
// completes the login.
func (lp *loginProcess) Wait(ctx context.Context) (*bridgev2.LoginStep, error) {
	return lp.next(ctx)
}

func (lp *loginProcess) next(ctx context.Context) (*bridgev2.LoginStep, error) {
	for {
		item, err := lp.read(ctx)
		if err != nil {
			return nil, err
		}
		switch {
		case item.Event == whatsmeow.QRChannelEventCode && lp.flow == FlowQR:
			return &bridgev2.LoginStep{
				Type:                 bridgev2.LoginStepTypeDisplayAndWait,
				StepID:               stepQR,
				Instructions:         "Scan this QR code with WhatsApp on your phone: Settings → Linked devices → Link a device.",
				DisplayAndWaitParams: &bridgev2.LoginDisplayAndWaitParams{Type: bridgev2.LoginDisplayTypeQR, Data: item.Code},
			}, nil
		case item.Event == whatsmeow.QRChannelEventCode:
			continue // the pairing-code flow ignores QR refreshes
		case item == whatsmeow.QRChannelSuccess:
			return lp.finish(ctx)
		default:
			return nil, lp.itemError(item)
		}
	}
}

func (lp *loginProcess) read(ctx context.Context) (whatsmeow.QRChannelItem, error) {
	select {
	case item, ok := <-lp.qr:
		if !ok {
			lp.Cancel()
			return whatsmeow.QRChannelItem{}, ErrLoginTimeout
		}
		return item, nil
	case <-ctx.Done():
		return whatsmeow.QRChannelItem{}, ctx.Err()
	}
}

func (lp *loginProcess) itemError(item whatsmeow.QRChannelItem) error {
	lp.Cancel()
	switch {
	case item == whatsmeow.QRChannelTimeout:
		return ErrLoginTimeout
	case item == whatsmeow.QRChannelClientOutdated:
		return ErrLoginOutdated
	case item.Error != nil:
		return fmt.Errorf("pairing failed: %w", item.Error)
	default:
		return fmt.Errorf("pairing failed: WhatsApp answered %q", item.Event)
	}
}

// finish turns the paired device into a bridge login that keeps the live connection.
func (lp *loginProcess) finish(ctx context.Context) (*bridgev2.LoginStep, error) {
	if lp.device.ID == nil {
		lp.Cancel()
		return nil, errors.New("pairing reported success but the device has no JID")
	}
	jid := *lp.device.ID
	name := "+" + jid.User
	if lp.device.PushName != "" {
		name = lp.device.PushName + " (+" + jid.User + ")"
	}
	ul, err := lp.user.NewLogin(ctx, &database.UserLogin{
		ID:         ids.LoginID(jid),
		RemoteName: name,
		RemoteProfile: status.RemoteProfile{
			Phone: "+" + jid.User,
			Name:  lp.device.PushName,
		},
		Metadata: &LoginMetadata{DeviceJID: jid.String(), PhoneLastSeen: time.Now().Unix()},
	}, &bridgev2.NewLoginParams{
		DeleteOnConflict: true,
		LoadUserLogin: func(_ context.Context, ul *bridgev2.UserLogin) error {
			wc := &Client{conn: lp.conn, login: ul, device: lp.device}
			wc.attach(lp.cli)
			ul.Client = wc
			return nil
		},
	})
	if err != nil {
		lp.Cancel()
		return nil, fmt.Errorf("save login: %w", err)
	}
	lp.mu.Lock()
	lp.done = true
	lp.mu.Unlock()
	ul.BridgeState.Send(status.BridgeState{StateEvent: status.StateConnected})
	return &bridgev2.LoginStep{
		Type:           bridgev2.LoginStepTypeComplete,
		StepID:         stepComplete,
		Instructions:   "Successfully logged in as " + name,
		CompleteParams: &bridgev2.LoginCompleteParams{UserLoginID: ul.ID, UserLogin: ul},
	}, nil
}

// Cancel abandons an unfinished login and closes its connection.
func (lp *loginProcess) Cancel() {
	lp.mu.Lock()
	done := lp.done
	lp.done = true
	lp.mu.Unlock()
	if done {
		return
	}
	if lp.cancel != nil {
		lp.cancel()
	}
	if lp.cli != nil {
		lp.cli.Disconnect()
	}
}

// normalizePhone keeps the digits of a phone number typed in any common way.
func normalizePhone(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
