package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	_ "github.com/lib/pq"
	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"
	"maunium.net/go/mautrix/id"
)

// verdict is the outcome of one check.
type verdict string

const (
	pass verdict = "ok"
	warn verdict = "warning"
	fail verdict = "FAIL"
)

// finding is one line of doctor's table.
type finding struct {
	bridge, check string
	verdict       verdict
	detail        string
}

// setup is one bridge's files in the folder init wrote.
type setup struct {
	name     string
	dir      string
	config   *bridgeconfig.Config
	reg      *appservice.Registration
	loadErrs []string
}

// checkTimeout bounds each network check, so that a dead homeserver fails fast.
const checkTimeout = 10 * time.Second

func runDoctor(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) != 1 {
		fmt.Fprint(errOut, usage)
		return errors.New("doctor needs the folder that mxbridges init wrote")
	}
	setups, err := findSetups(args[0])
	if err != nil {
		return err
	}
	var findings []finding
	for _, s := range setups {
		findings = append(findings, s.diagnose(ctx)...)
	}
	failed := printFindings(out, findings)
	if failed > 0 {
		fmt.Fprintf(out, "\n%d check(s) failed.\n", failed)
		return errFailed
	}
	fmt.Fprintln(out, "\nAll checks passed.")
	return nil
}

// findSetups loads every DIR/<bridge>/ holding a config.yaml.
func findSetups(root string) ([]*setup, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("read setup folder: %w", err)
	}
	var out []*setup
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "config.yaml")); err != nil {
			continue
		}
		out = append(out, loadSetup(e.Name(), dir))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no bridge set up in %s: expected <bridge>/config.yaml (run mxbridges init)", root)
	}
	return out, nil
}

func loadSetup(name, dir string) *setup {
	s := &setup{name: name, dir: dir}
	data, err := os.ReadFile(filepath.Join(dir, "config.yaml"))
	if err == nil {
		cfg := &bridgeconfig.Config{}
		if err = yaml.Unmarshal(data, cfg); err == nil {
			s.config = cfg
		}
	}
	if err != nil {
		s.loadErrs = append(s.loadErrs, fmt.Sprintf("config.yaml: %v", err))
	}
	if s.reg, err = appservice.LoadRegistration(filepath.Join(dir, "registration.yaml")); err != nil {
		s.reg = nil
		s.loadErrs = append(s.loadErrs, fmt.Sprintf("registration.yaml: %v (generate it with mxbridges-%s -g)", err, name))
	}
	return s
}

// diagnose runs every check of one bridge; the network checks run only on a readable config.
func (s *setup) diagnose(ctx context.Context) []finding {
	f := s.finder()
	if len(s.loadErrs) > 0 {
		return []finding{f("config", fail, "%s", strings.Join(s.loadErrs, "; "))}
	}
	out := []finding{s.checkConfig(f)}
	if out[0].verdict == fail {
		return out
	}
	out = append(out, s.checkHomeserver(ctx, f))
	if out[1].verdict == pass {
		out = append(out, s.checkPing(ctx, f), s.checkBot(ctx, f))
	}
	return append(out, s.checkDatabase(ctx, f), s.checkPermissions(f))
}

// mkFinding makes a finding of one bridge; detail is a format for args.
type mkFinding func(check string, v verdict, detail string, args ...any) finding

func (s *setup) finder() mkFinding {
	return func(check string, v verdict, detail string, args ...any) finding {
		return finding{bridge: s.name, check: check, verdict: v, detail: fmt.Sprintf(detail, args...)}
	}
}

func (s *setup) checkConfig(f mkFinding) finding {
	c := s.config
	var problems []string
	if c.Homeserver.Address == "" || c.Homeserver.Domain == "" {
		problems = append(problems, "homeserver.address and homeserver.domain must be set")
	}
	if c.AppService.Address == "" || c.AppService.ID == "" || c.AppService.Bot.Username == "" {
		problems = append(problems, "appservice.address, appservice.id and appservice.bot.username must be set")
	}
	if c.AppService.ASToken != s.reg.AppToken || c.AppService.HSToken != s.reg.ServerToken {
		problems = append(problems, "the tokens in config.yaml and registration.yaml differ: regenerate the registration (-g) and give the new one to Synapse")
	}
	if c.AppService.Address != s.reg.URL {
		problems = append(problems, fmt.Sprintf("appservice.address %s is not the registration's url %s", c.AppService.Address, s.reg.URL))
	}
	if c.Database.URI == "" {
		problems = append(problems, "database.uri must be set")
	}
	if len(problems) > 0 {
		return f("config", fail, "%s", strings.Join(problems, "; "))
	}
	return f("config", pass, "readable; tokens match the registration")
}

func (s *setup) client() (*mautrix.Client, error) {
	bot := id.NewUserID(s.config.AppService.Bot.Username, s.config.Homeserver.Domain)
	cli, err := mautrix.NewClient(s.config.Homeserver.Address, bot, s.reg.AppToken)
	if err != nil {
		return nil, fmt.Errorf("make homeserver client: %w", err)
	}
	// No ?user_id=: the bot user exists only once the bridge has started.
	cli.Client = &http.Client{Timeout: checkTimeout}
	return cli, nil
}

func (s *setup) checkHomeserver(ctx context.Context, f mkFinding) finding {
	// Asked without the bridge's identity: the bot user may not exist before the first start.
	cli, err := mautrix.NewClient(s.config.Homeserver.Address, "", "")
	if err != nil {
		return f("homeserver", fail, "make homeserver client: %v", err)
	}
	cli.Client = &http.Client{Timeout: checkTimeout}
	v, err := cli.Versions(ctx)
	if err != nil {
		return f("homeserver", fail, "%s does not answer: %v", s.config.Homeserver.Address, err)
	}
	return f("homeserver", pass, "%s answers (%d spec versions)", s.config.Homeserver.Address, len(v.Versions))
}

// checkPing asks the homeserver to ping the bridge: it proves the homeserver has the
// registration and reaches the bridge's listener, and that the bridge accepts its token.
func (s *setup) checkPing(ctx context.Context, f mkFinding) finding {
	cli, err := s.client()
	if err != nil {
		return f("appservice ping", fail, "%v", err)
	}
	resp, err := cli.AppservicePing(ctx, s.reg.ID, "mxbridges-doctor-"+fmt.Sprint(time.Now().UnixNano()))
	var httpErr mautrix.HTTPError
	switch {
	case err == nil:
		return f("appservice ping", pass, "the homeserver reaches the bridge at %s (%d ms)", s.reg.URL, resp.DurationMS)
	case errors.Is(err, mautrix.MUnknownToken) || errors.Is(err, mautrix.MForbidden):
		return f("appservice ping", fail, "the homeserver does not know this registration: add %s to app_service_config_files in homeserver.yaml and restart it",
			filepath.Join(s.dir, "registration.yaml"))
	case errors.As(err, &httpErr) && httpErr.RespError != nil && httpErr.RespError.ErrCode == "M_CONNECTION_FAILED":
		return f("appservice ping", fail, "the homeserver cannot reach the bridge at %s: is mxbridges-%s running, and is that address right for the homeserver?", s.reg.URL, s.name)
	case errors.As(err, &httpErr) && httpErr.RespError != nil && httpErr.RespError.ErrCode == "M_BAD_STATUS":
		return f("appservice ping", fail, "the bridge at %s answered the homeserver with an error: does the hs_token in its config match the registration the homeserver loaded?", s.reg.URL)
	case errors.As(err, &httpErr) && httpErr.RespError != nil && httpErr.RespError.ErrCode == "M_CONNECTION_TIMEOUT":
		return f("appservice ping", fail, "the bridge at %s did not answer the homeserver in time", s.reg.URL)
	}
	return f("appservice ping", fail, "%v", err)
}

func (s *setup) checkBot(ctx context.Context, f mkFinding) finding {
	cli, err := s.client()
	if err != nil {
		return f("bot profile", fail, "%v", err)
	}
	p, err := cli.GetProfile(ctx, cli.UserID)
	if err != nil {
		return f("bot profile", fail, "%s has no profile (%v): the bridge sets it when it first starts", cli.UserID, err)
	}
	if p.DisplayName == "" {
		return f("bot profile", warn, "%s has no display name", cli.UserID)
	}
	return f("bot profile", pass, "%s is %q", cli.UserID, p.DisplayName)
}

func (s *setup) checkDatabase(ctx context.Context, f mkFinding) finding {
	uri := s.config.Database.URI
	switch {
	case strings.HasPrefix(s.config.Database.Type, "sqlite"):
		path := strings.TrimPrefix(strings.SplitN(uri, "?", 2)[0], "file:")
		if st, err := os.Stat(path); err == nil {
			return f("database", pass, "SQLite file %s (%d KiB)", path, st.Size()/1024)
		}
		if err := writable(filepath.Dir(path)); err != nil {
			return f("database", fail, "SQLite file %s cannot be created: %v", path, err)
		}
		return f("database", pass, "SQLite file %s will be created at the first start", path)
	case s.config.Database.Type == "postgres":
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		db, err := sql.Open("postgres", uri)
		if err == nil {
			err = db.PingContext(ctx)
			_ = db.Close()
		}
		if err != nil {
			return f("database", fail, "PostgreSQL at %s: %v", redact(uri), err)
		}
		return f("database", pass, "PostgreSQL at %s answers", redact(uri))
	}
	return f("database", fail, "unknown database.type %q (want postgres or sqlite3-fk-wal)", s.config.Database.Type)
}

func (s *setup) checkPermissions(f mkFinding) finding {
	perms := s.config.Bridge.Permissions
	if p := perms["*"]; p != nil && p.Admin {
		return f("permissions", fail, `"*" is admin: anyone on any server could run admin commands`)
	}
	var admins []string
	for who, p := range perms {
		if p != nil && p.Admin {
			admins = append(admins, who)
		}
	}
	if len(admins) == 0 {
		return f("permissions", warn, "nobody is admin: set bridge.permissions for your own user ID to admin")
	}
	return f("permissions", pass, "admin: %s", strings.Join(admins, ", "))
}

// writable reports whether a file can be created in dir.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".mxbridges-doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// redact drops the password of a database URI for printing.
func redact(uri string) string {
	at := strings.LastIndex(uri, "@")
	scheme := strings.Index(uri, "://")
	if at < 0 || scheme < 0 {
		return uri
	}
	userinfo := uri[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return uri[:scheme+3] + user + ":***" + uri[at:]
	}
	return uri
}

// printFindings writes the table and returns how many checks failed.
func printFindings(out io.Writer, findings []finding) int {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BRIDGE\tCHECK\tVERDICT\tDETAIL")
	failed := 0
	for _, f := range findings {
		if f.verdict == fail {
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.bridge, f.check, f.verdict, f.detail)
	}
	_ = tw.Flush()
	return failed
}
