package connector

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.mau.fi/util/dbutil"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/store/sqlstore/upgrades"
	waLog "go.mau.fi/whatsmeow/util/log"
	"maunium.net/go/mautrix/bridgev2"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wa"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/ack"
	"github.com/mxbridges/mxbridges/pkg/bridgekit/journal"
)

// Connector is the bridgev2 network connector of the WhatsApp bridge.
type Connector struct {
	Bridge *bridgev2.Bridge
	Config Config
	// Devices is whatsmeow's device store, kept in the bridge's own database.
	Devices *sqlstore.Container
	// Journal holds incoming messages from their acknowledgement to WhatsApp until they are
	// in Matrix (inbound.go), in the bridge's own database.
	Journal *journal.Journal
	// removals takes bridged messages out of the journal in batches (started by Start).
	removals *journal.Remover
	// NewClient creates the whatsmeow client of a device; tests replace it with a fake.
	NewClient wa.NewFunc

	// maxFileSize is the homeserver's upload limit, learnt at start (0 = unknown).
	maxFileSize atomic.Int64
}

var (
	_ bridgev2.NetworkConnector      = (*Connector)(nil)
	_ bridgev2.StoppableNetwork      = (*Connector)(nil)
	_ bridgev2.MaxFileSizeingNetwork = (*Connector)(nil)
)

// SetMaxFileSize learns the homeserver's upload limit; larger WhatsApp files become notices.
func (c *Connector) SetMaxFileSize(maxSize int64) { c.maxFileSize.Store(maxSize) }

// New returns a connector that uses the real whatsmeow.
func New() *Connector {
	return &Connector{NewClient: wa.New}
}

func (c *Connector) Init(br *bridgev2.Bridge) {
	c.Bridge = br
	if c.NewClient == nil {
		c.NewClient = wa.New
	}
	// whatsmeow's tables live in the bridge's database, with their own version table.
	storeLog := br.Log.With().Str("component", "whatsmeow-store").Logger()
	db := br.DB.Database.Child("whatsmeow_version", upgrades.Table, dbutil.ZeroLogger(storeLog))
	c.Devices = sqlstore.NewWithWrappedDB(db, waLog.Zerolog(storeLog))
	journalLog := br.Log.With().Str("component", "journal").Logger()
	c.Journal = journal.New(br.DB.Database, string(br.ID), dbutil.ZeroLogger(journalLog))
	// Answer the homeserver only after handling, so that a kill loses no Matrix event.
	if err := ack.Install(br); err != nil {
		br.Log.Err(err).Msg("Transactions will be acknowledged before they are handled")
	}
}

func (c *Connector) Start(ctx context.Context) error {
	if err := c.Devices.Upgrade(ctx); err != nil {
		return bridgev2.DBUpgradeError{Err: fmt.Errorf("upgrade whatsmeow store: %w", err), Section: "whatsmeow"}
	}
	if err := c.Journal.Upgrade(ctx); err != nil {
		return bridgev2.DBUpgradeError{Err: err, Section: "journal"}
	}
	c.removals = c.Journal.NewRemover(journalFlushEvery)
	store.SetOSInfo(c.Config.OSName, [3]uint32{0, 1, 0})
	return c.startMetrics(ctx)
}

// Stop runs on shutdown, after bridgev2 disconnected every login: it writes the last removals
// from the journal and stops the metrics listener.
func (c *Connector) Stop() {
	c.stopMetrics()
	if c.removals != nil {
		if err := c.removals.Close(context.Background()); err != nil {
			c.Bridge.Log.Err(err).Msg("Failed to remove bridged messages from the inbound journal")
		}
	}
}

func (c *Connector) GetName() bridgev2.BridgeName {
	return bridgev2.BridgeName{
		DisplayName:          "WhatsApp",
		NetworkURL:           "https://www.whatsapp.com",
		NetworkID:            "whatsapp",
		BeeperBridgeType:     "github.com/mxbridges/mxbridges/bridges/whatsapp",
		DefaultPort:          29318,
		DefaultCommandPrefix: "!wa",
	}
}

func (c *Connector) GetBridgeInfoVersion() (info, capabilities int) { return 1, 1 }

// LoadUserLogin attaches a client to a stored login. It does no network I/O; Connect does.
func (c *Connector) LoadUserLogin(ctx context.Context, login *bridgev2.UserLogin) error {
	meta, _ := login.Metadata.(*LoginMetadata)
	var device *store.Device
	if meta != nil && meta.DeviceJID != "" {
		jid, err := parseDeviceJID(meta.DeviceJID)
		if err != nil {
			return err
		}
		if device, err = c.Devices.GetDevice(ctx, jid); err != nil {
			return fmt.Errorf("load whatsmeow device %s: %w", jid, err)
		}
	}
	login.Client = newClient(c, login, device)
	return nil
}
