package bridgetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"
	"maunium.net/go/mautrix/bridgev2/commands"
	"maunium.net/go/mautrix/bridgev2/matrix"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/status"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/postgres"
)

// Database kinds a bridge under test can use.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// BridgeOptions describe one bridge under test.
type BridgeOptions struct {
	// Name is a short lowercase label; it becomes the appservice ID, the bot's localpart
	// (<name>bot) and the ghosts' prefix (<name>_<remote id>). Unique per stack.
	Name string
	// Connector is the network connector under test (in-process bridges, AddBridge).
	Connector bridgev2.NetworkConnector
	// Binary is the path of a built bridge binary (binary bridges, AddProcess).
	Binary string
	// DB is Postgres or SQLite; empty means $MXB_TEST_DB, else Postgres.
	DB string
	// Permissions are added to the defaults ("*": relay, the server: user, @admin: admin). A
	// key mapped to "" removes that default, so that users matching nothing get no permission.
	Permissions map[string]string
	// Extra sets further config options by dotted path (see bridgeconf.Params.Extra).
	Extra map[string]any
}

// Bridge is a bridge under test, running in this process.
type Bridge struct {
	Name         string
	Config       *bridgeconfig.Config
	Registration *appservice.Registration
	ConfigPath   string
	LogPath      string
	// Bridge and Matrix are set while the bridge runs.
	Bridge *bridgev2.Bridge
	Matrix *matrix.Connector
	// DBKind is Postgres or SQLite.
	DBKind string

	conn    bridgev2.NetworkConnector
	db      *dbutil.Database
	pg      *postgres.Database
	logFile *os.File
}

// newBridge generates the config and registration of an in-process bridge under test in dir.
func newBridge(ctx context.Context, dir, hsURL, serverName string, opts BridgeOptions) (*Bridge, error) {
	if opts.Name == "" || opts.Connector == nil {
		return nil, fmt.Errorf("new bridge: Name and Connector are required")
	}
	res, err := newResources(ctx, dir, hsURL, serverName, opts)
	if err != nil {
		return nil, err
	}
	b := &Bridge{Name: opts.Name, conn: opts.Connector, DBKind: res.dbKind, pg: res.pg}
	b.ConfigPath = filepath.Join(dir, opts.Name+"-config.yaml")
	b.LogPath = filepath.Join(dir, opts.Name+"-bridge.log")
	if b.Registration, b.Config, err = bridgeconf.Create(b.ConfigPath, opts.Connector, res.params); err != nil {
		b.dropDB(ctx)
		return nil, err
	}
	return b, nil
}

// BotMXID is the bridge bot's Matrix user ID.
func (b *Bridge) BotMXID() id.UserID {
	return id.NewUserID(b.Config.AppService.Bot.Username, b.Config.Homeserver.Domain)
}

// GhostMXID is the Matrix user ID of the ghost for a remote user ID.
func (b *Bridge) GhostMXID(remoteID string) id.UserID {
	localpart := b.Config.AppService.FormatUsername(id.EncodeUserLocalpart(remoteID))
	return id.NewUserID(localpart, b.Config.Homeserver.Domain)
}

// AppserviceURL is the base URL of the bridge's appservice listener, where Synapse sends
// transactions and where bridgev2 serves its provisioning API (under /_matrix/provision).
func (b *Bridge) AppserviceURL() string { return b.Registration.URL }

// ProvisioningSecret is the generated provisioning.shared_secret of the bridge's config.
func (b *Bridge) ProvisioningSecret() string { return b.Config.Provisioning.SharedSecret }

// Start opens the database and starts the bridge: Matrix connector (appservice listener, bot
// registration), network connector, existing logins.
func (b *Bridge) Start(ctx context.Context) error {
	var err error
	if b.logFile == nil {
		if b.logFile, err = os.OpenFile(b.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err != nil {
			return fmt.Errorf("open bridge log: %w", err)
		}
	}
	log := zerolog.New(b.logFile).With().Timestamp().Str("bridge", b.Name).Logger().Level(zerolog.DebugLevel)
	b.db, err = dbutil.NewFromConfig("mxbridges/"+b.Name, b.Config.Database, dbutil.ZeroLogger(log.With().Str("db_section", "main").Logger()))
	if err != nil {
		return fmt.Errorf("open database of %s: %w", b.Name, err)
	}
	b.Matrix = matrix.NewConnector(b.Config)
	b.Bridge = bridgev2.NewBridge("", b.db, log, &b.Config.Bridge, b.Matrix, b.conn, commands.NewProcessor)
	b.Matrix.AS.DoublePuppetValue = b.Name
	if err = b.Bridge.Start(log.WithContext(context.Background())); err != nil {
		_ = b.db.Close()
		return fmt.Errorf("start bridge %s: %w", b.Name, err)
	}
	return nil
}

// Stop stops the bridge and closes its database; the database itself is kept, so the bridge
// can be started again (a restart).
func (b *Bridge) Stop() {
	if b.Bridge != nil {
		b.Bridge.StopWithTimeout(5 * time.Second)
		b.Bridge = nil
	}
	if b.db != nil {
		_ = b.db.Close()
		b.db = nil
	}
}

// close stops the bridge for good and drops its PostgreSQL database.
func (b *Bridge) close(ctx context.Context) {
	b.Stop()
	b.dropDB(ctx)
	if b.logFile != nil {
		_ = b.logFile.Close()
	}
}

func (b *Bridge) dropDB(ctx context.Context) {
	if b.pg != nil {
		if err := b.pg.Drop(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "bridgetest: %v\n", err)
		}
		b.pg = nil
	}
}

// Login returns the bridge's cached login with the given ID, or nil.
func (b *Bridge) Login(loginID string) *bridgev2.UserLogin {
	return b.Bridge.GetCachedUserLoginByID(networkid.UserLoginID(loginID))
}

// LogTail returns the last n lines of the bridge's log.
func (b *Bridge) LogTail(n int) string {
	data, err := os.ReadFile(b.LogPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// WaitPrompt waits until the bot takes user's next message as the answer to a prompt (e.g.
// "Please enter your Username"), failing the test after 20 s. bridgev2 sends a login prompt
// before it stores the state that takes the answer (commands/login.go, promptNext), so an
// answer sent at once can be read as an unknown command, which also logs its first word.
func (b *Bridge) WaitPrompt(t testing.TB, user id.UserID) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		u, err := b.Bridge.GetExistingUserByMXID(context.Background(), user)
		if err != nil {
			t.Fatalf("get bridge user %s: %v", user, err)
		}
		if u != nil && commands.LoadCommandState(u) != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the bot of %s is not waiting for an answer from %s", b.Name, user)
}

// WaitState waits until the login's latest bridge state is want, failing the test after 20 s.
func (b *Bridge) WaitState(t testing.TB, loginID string, want status.BridgeStateEvent) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got status.BridgeStateEvent
	for time.Now().Before(deadline) {
		if ul := b.Login(loginID); ul != nil {
			if got = ul.BridgeState.GetPrev().StateEvent; got == want {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("bridge state of login %s is %q, want %q", loginID, got, want)
}
