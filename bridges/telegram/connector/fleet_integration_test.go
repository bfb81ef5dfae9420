//go:build integration

package connector_test

// The fleet of the memory and startup bench: many Telegram accounts logged in to the bridge
// binary (tgbench) and many portals, seeded straight into its database, and the bridge states
// its logins report to a status endpoint of ours.

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/bridgev2/database"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/connector"
	"github.com/mxbridges/mxbridges/bridges/telegram/ids"
	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/bridgetest"
)

// seedFleet makes accounts [from, to) of the fake Telegram, each with a logged-in session
// (tgfake.SeedSession: an auth key the fake accepts, bound to the account), and stores each as
// a login of its own Matrix user in the bridge's database: the rows the bridge writes after a
// login (the user, the login with gotd's session) and the update state a login that ran before
// has. The bridge must be stopped.
func seedFleet(ctx context.Context, pb *bridgetest.ProcessBridge, from, to int) error {
	type login struct {
		acct    *tgfake.Account
		session []byte
	}
	logins := make([]login, to-from)
	for i := range logins {
		acct := net.AddAccount(fmt.Sprintf("Fleet %d", from+i), newPhone(), "13579")
		sess, err := net.SeedSession(ctx, acct)
		if err != nil {
			return err
		}
		logins[i] = login{acct: acct, session: sess}
	}
	return withBridgeDB(ctx, pb, func(ctx context.Context, db *database.Database) error {
		for i, l := range logins {
			mxid := fleetUser(from + i)
			if err := db.User.Insert(ctx, &database.User{MXID: mxid}); err != nil {
				return fmt.Errorf("insert user %s: %w", mxid, err)
			}
			meta := &connector.LoginMetadata{Session: l.session, Phone: l.acct.User.Phone,
				Updates: connector.UpdateState{Known: true, Date: int(time.Now().Unix())}}
			if err := db.UserLogin.Insert(ctx, &database.UserLogin{
				UserMXID: mxid, ID: ids.LoginID(l.acct.User.ID), RemoteName: l.acct.User.FirstName, Metadata: meta,
			}); err != nil {
				return fmt.Errorf("insert login of %s: %w", mxid, err)
			}
		}
		return nil
	})
}

// seedPortals stores count private-chat portals spread over the bridge's logins, each with
// its room, its ghost and the user's user_portal row, as bridged chats leave them. The rooms
// are names only: nothing on Synapse, and the bridge touches none at startup.
func seedPortals(ctx context.Context, pb *bridgetest.ProcessBridge, count int) error {
	return withBridgeDB(ctx, pb, func(ctx context.Context, db *database.Database) error {
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
			peer := net.AddUser(fmt.Sprintf("Peer %d", i), "", "", newPhone())
			ghost := ids.UserID(peer.ID)
			if err := db.Ghost.Insert(ctx, &database.Ghost{ID: ghost, Name: peer.FirstName, NameSet: true,
				Identifiers: []string{"tel:+" + peer.Phone}, Metadata: map[string]any{}}); err != nil {
				return fmt.Errorf("insert ghost %d: %w", i, err)
			}
			key := ids.UserPortal(peer.ID, l.ID)
			if err := db.Portal.Insert(ctx, &database.Portal{PortalKey: key, MXID: id.RoomID(fmt.Sprintf("!fleet%d:localhost", i)),
				OtherUserID: ghost, Name: peer.FirstName, NameSet: true, RoomType: database.RoomTypeDM, Metadata: map[string]any{}}); err != nil {
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

// withBridgeDB runs fn in one transaction on the bridge's database, through bridgev2's own
// queries (the bridge ID of mxmain's bridges is empty).
func withBridgeDB(ctx context.Context, pb *bridgetest.ProcessBridge, fn func(context.Context, *database.Database) error) error {
	raw, err := dbutil.NewFromConfig("mxbridges/fleet", pb.Config.Database, dbutil.ZeroLogger(zerolog.Nop()))
	if err != nil {
		return fmt.Errorf("open bridge database: %w", err)
	}
	defer raw.Close()
	db := database.New("", connector.New().GetDBMetaTypes(), raw)
	return raw.DoTxn(ctx, nil, func(ctx context.Context) error { return fn(ctx, db) })
}
