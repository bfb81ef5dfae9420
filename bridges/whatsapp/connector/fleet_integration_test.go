//go:build integration

package connector_test

// The fleet of the memory and startup bench: many WhatsApp accounts logged in to the bridge
// binary (wabench) on the remote fake and many portals, seeded straight into its database, and
// the bridge states its logins report to a status endpoint of ours.

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/store/sqlstore/upgrades"
	"go.mau.fi/whatsmeow/types"
	waLog "go.mau.fi/whatsmeow/util/log"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
	"github.com/mxbridges/mxbridges/pkg/bridgetest"
)

// seedFleet stores logins [from, to), each of its own Matrix user with a paired whatsmeow
// device in the bridge's device store: the rows a QR login leaves. The fake needs nothing: a
// remote client of a paired device connects as that device. The bridge must be stopped.
func seedFleet(ctx context.Context, pb *bridgetest.ProcessBridge, from, to int) error {
	raw, err := openBridgeDB(pb)
	if err != nil {
		return err
	}
	defer raw.Close()
	log := zerolog.Nop()
	devices := sqlstore.NewWithWrappedDB(raw.Child("whatsmeow_version", upgrades.Table, dbutil.ZeroLogger(log)), waLog.Noop)
	db := database.New("", connector.New().GetDBMetaTypes(), raw)
	for i := from; i < to; i++ {
		jid := wafake.User(newPhone())
		devJID := types.NewADJID(jid.User, 0, 1)
		dev := devices.NewDevice()
		dev.ID, dev.PushName = &devJID, fmt.Sprintf("Fleet %d", i)
		dev.Account = &waAdv.ADVSignedDeviceIdentity{
			Details: random(32), AccountSignatureKey: random(32), AccountSignature: random(64), DeviceSignature: random(64),
		}
		if err := dev.Save(ctx); err != nil {
			return fmt.Errorf("save device %d: %w", i, err)
		}
		mxid := fleetUser(i)
		if err := db.User.Insert(ctx, &database.User{MXID: mxid}); err != nil {
			return fmt.Errorf("insert user %s: %w", mxid, err)
		}
		meta := &connector.LoginMetadata{DeviceJID: devJID.String(), PhoneLastSeen: time.Now().Unix()}
		if err := db.UserLogin.Insert(ctx, &database.UserLogin{
			UserMXID: mxid, ID: ids.LoginID(jid), RemoteName: dev.PushName, Metadata: meta,
		}); err != nil {
			return fmt.Errorf("insert login of %s: %w", mxid, err)
		}
	}
	return nil
}

// seedPortals stores count private-chat portals spread over the bridge's logins, each with its
// room, its ghost and the user's user_portal row, as bridged chats leave them. The rooms are
// names only: nothing on Synapse, and the bridge touches none at startup.
func seedPortals(ctx context.Context, pb *bridgetest.ProcessBridge, count int) error {
	raw, err := openBridgeDB(pb)
	if err != nil {
		return err
	}
	defer raw.Close()
	db := database.New("", connector.New().GetDBMetaTypes(), raw)
	return raw.DoTxn(ctx, nil, func(ctx context.Context) error {
		users, err := db.UserLogin.GetAllUserIDsWithLogins(ctx)
		if err != nil {
			return fmt.Errorf("list users: %w", err)
		}
		var logins []*database.UserLogin
		for _, u := range users {
			ls, err := db.UserLogin.GetAllForUser(ctx, u)
			if err != nil {
				return fmt.Errorf("list logins of %s: %w", u, err)
			}
			logins = append(logins, ls...)
		}
		if len(logins) == 0 {
			return fmt.Errorf("seed portals: no logins")
		}
		for i := range count {
			l := logins[i%len(logins)]
			peer := wafake.User(newPhone())
			ghost := ids.UserID(peer)
			name := fmt.Sprintf("Peer %d", i)
			if err := db.Ghost.Insert(ctx, &database.Ghost{ID: ghost, Name: name, NameSet: true,
				Identifiers: []string{"tel:+" + peer.User}, Metadata: map[string]any{}}); err != nil {
				return fmt.Errorf("insert ghost %d: %w", i, err)
			}
			key := ids.PortalKey(peer, l.ID)
			if err := db.Portal.Insert(ctx, &database.Portal{PortalKey: key, MXID: id.RoomID(fmt.Sprintf("!fleet%d:localhost", i)),
				OtherUserID: ghost, Name: name, NameSet: true, RoomType: database.RoomTypeDM, Metadata: map[string]any{}}); err != nil {
				return fmt.Errorf("insert portal %d: %w", i, err)
			}
			if err := db.UserPortal.Put(ctx, &database.UserPortal{UserMXID: l.UserMXID, LoginID: l.ID, Portal: key}); err != nil {
				return fmt.Errorf("insert user portal %d: %w", i, err)
			}
		}
		return nil
	})
}

func fleetUser(i int) id.UserID { return id.UserID(fmt.Sprintf("@fleet-%d:localhost", i)) }

// openBridgeDB opens the binary's database as its own config names it.
func openBridgeDB(pb *bridgetest.ProcessBridge) (*dbutil.Database, error) {
	raw, err := dbutil.NewFromConfig("mxbridges/fleet", pb.Config.Database, dbutil.ZeroLogger(zerolog.Nop()))
	if err != nil {
		return nil, fmt.Errorf("open bridge database: %w", err)
	}
	return raw, nil
}

func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
