//go:build docker

package dockertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// repoRoot is the repository's root, seen from this package's folder.
const repoRoot = "../../.."

// composeFile is the part of docker/compose.yaml the tests read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

// composeService is one service of docker/compose.yaml.
type composeService struct {
	Image string `yaml:"image"`
	Build struct {
		Context    string            `yaml:"context"`
		Dockerfile string            `yaml:"dockerfile"`
		Args       map[string]string `yaml:"args"`
	} `yaml:"build"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

// mount is one entry of a service's volumes: SOURCE:TARGET[:MODE].
type mount struct{ source, target, mode string }

func (s composeService) mounts() []mount {
	var ms []mount
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		m := mount{source: parts[0]}
		if len(parts) > 1 {
			m.target = parts[1]
		}
		if len(parts) > 2 {
			m.mode = parts[2]
		}
		ms = append(ms, m)
	}
	return ms
}

// mountAt is the source mounted at target, or "".
func (s composeService) mountAt(target string) string {
	for _, m := range s.mounts() {
		if m.target == target {
			return m.source
		}
	}
	return ""
}

// interpolation is compose's ${NAME}, ${NAME:-default} and ${NAME:?error}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}`)

// interpolate substitutes vars into a compose file as compose does, and fails on a missing
// ${NAME:?error}.
func interpolate(text string, vars map[string]string) (string, error) {
	var missing []string
	out := interpolation.ReplaceAllStringFunc(text, func(ref string) string {
		m := interpolation.FindStringSubmatch(ref)
		if v, ok := vars[m[1]]; ok && v != "" {
			return v
		}
		switch m[2] {
		case "-":
			return m[3]
		case "?":
			missing = append(missing, m[1]+": "+m[3])
		}
		return ""
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("interpolate: %s", strings.Join(missing, "; "))
	}
	return out, nil
}

// loadCompose reads docker/compose.yaml with vars as its environment.
func loadCompose(t *testing.T, vars map[string]string) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := interpolate(string(raw), vars)
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err = yaml.Unmarshal([]byte(text), &f); err != nil {
		t.Fatalf("parse docker/compose.yaml: %v", err)
	}
	return f
}

// composeVars are what docs/admin.md tells the admin to set.
var composeVars = map[string]string{"SERVER_NAME": "example.org", "ADMIN": "@you:example.org"}

// initDatabases are the databases docker/postgres-init.sql creates.
func initDatabases(t *testing.T) []string {
	t.Helper()
	sql, err := os.ReadFile(filepath.Join(repoRoot, "docker", "postgres-init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?i)CREATE DATABASE\s+"?([a-z0-9_]+)"?`).FindAllStringSubmatch(string(sql), -1) {
		names = append(names, m[1])
	}
	return names
}

// TestComposeFile checks what cannot run here (Synapse's and PostgreSQL's images need a
// registry) against what the bridges' services say: the registrations mounted into Synapse,
// the databases the init script creates, the addresses of the services.
func TestComposeFile(t *testing.T) {
	f := loadCompose(t, composeVars)
	if _, err := interpolate("${SERVER_NAME:?x}", nil); err == nil {
		t.Error("a missing SERVER_NAME interpolated")
	}
	pg, hs := f.Services["postgres"], f.Services["synapse"]
	if pg.Image == "" || hs.Image == "" {
		t.Fatalf("compose.yaml lacks the postgres or synapse service: %+v", f.Services)
	}
	init := pg.mountAt("/docker-entrypoint-initdb.d/mxbridges.sql")
	if filepath.Clean(init) != "postgres-init.sql" {
		t.Errorf("postgres mounts %q as its init script, want ./postgres-init.sql", init)
	}
	dbs := initDatabases(t)
	if hs.Environment["SYNAPSE_SERVER_NAME"] != composeVars["SERVER_NAME"] {
		t.Errorf("synapse's server name %q, want SERVER_NAME", hs.Environment["SYNAPSE_SERVER_NAME"])
	}
	admin, err := os.ReadFile(filepath.Join(repoRoot, "docs", "admin.md"))
	if err != nil {
		t.Fatal(err)
	}
	var seenDBs []string
	for _, b := range []string{"whatsapp", "telegram"} {
		s, ok := f.Services[b]
		if !ok {
			t.Errorf("no %s service", b)
			continue
		}
		if s.Image != "mxbridges/"+b+":dev" || s.Build.Dockerfile != "docker/bridge.Dockerfile" || s.Build.Args["BRIDGE"] != b || s.Build.Context != ".." {
			t.Errorf("%s: image %q built from %+v, want mxbridges/%s:dev from docker/bridge.Dockerfile with BRIDGE=%s", b, s.Image, s.Build, b, b)
		}
		vol := s.mountAt("/data")
		if _, named := f.Volumes[vol]; !named {
			t.Errorf("%s: /data is %q, not one of the file's volumes", b, vol)
		}
		// Synapse reads the registration from the same volume, read-only, where the docs say.
		var regPath string
		for _, m := range hs.mounts() {
			if m.source == vol {
				regPath = m.target + "/registration.yaml"
				if m.mode != "ro" {
					t.Errorf("synapse mounts %s's volume %q, want read-only", b, m.mode)
				}
			}
		}
		if regPath == "" {
			t.Errorf("synapse does not mount %s's volume %s", b, vol)
		} else if !strings.Contains(string(admin), "  - "+regPath+"\n") {
			t.Errorf("docs/admin.md does not list %s in app_service_config_files", regPath)
		}
		env := s.Environment
		if env["MXBRIDGES_HOMESERVER__ADDRESS"] != "http://synapse:8008" {
			t.Errorf("%s: homeserver address %q, want the synapse service", b, env["MXBRIDGES_HOMESERVER__ADDRESS"])
		}
		if env["MXBRIDGES_HOMESERVER__DOMAIN"] != composeVars["SERVER_NAME"] {
			t.Errorf("%s: domain %q, want SERVER_NAME", b, env["MXBRIDGES_HOMESERVER__DOMAIN"])
		}
		if as, err := url.Parse(env["MXBRIDGES_APPSERVICE__ADDRESS"]); err != nil || as.Hostname() != b {
			t.Errorf("%s: appservice address %q, want its own service name", b, env["MXBRIDGES_APPSERVICE__ADDRESS"])
		}
		db, err := url.Parse(env["MXBRIDGES_DATABASE__URI"])
		if env["MXBRIDGES_DATABASE__TYPE"] != "postgres" || err != nil {
			t.Errorf("%s: database %q %q, want postgres", b, env["MXBRIDGES_DATABASE__TYPE"], env["MXBRIDGES_DATABASE__URI"])
			continue
		}
		name := strings.TrimPrefix(db.Path, "/")
		pass, _ := db.User.Password()
		if db.Hostname() != "postgres" || db.User.Username() != pg.Environment["POSTGRES_USER"] || pass != pg.Environment["POSTGRES_PASSWORD"] {
			t.Errorf("%s: database URI %s does not match the postgres service's user and password", b, db.Redacted())
		}
		if !slices.Contains(dbs, name) || slices.Contains(seenDBs, name) {
			t.Errorf("%s: database %q not created by postgres-init.sql %v, or shared", b, name, dbs)
		}
		seenDBs = append(seenDBs, name)
		if env["MXB_PERMISSIONS"] != "example.org=user,@you:example.org=admin" {
			t.Errorf("%s: MXB_PERMISSIONS %q", b, env["MXB_PERMISSIONS"])
		}
		for _, dep := range []string{"postgres", "synapse"} {
			if s.DependsOn[dep].Condition != "service_healthy" {
				t.Errorf("%s: does not wait for %s to be healthy", b, dep)
			}
		}
		if strings.Join(s.Healthcheck.Test, " ") != "CMD /usr/bin/mxbridges health /data/config.yaml" {
			t.Errorf("%s: healthcheck %q", b, s.Healthcheck.Test)
		}
	}
	// Debian's docker-compose validates the file as compose itself reads it.
	if _, err := exec.LookPath("docker-compose"); err != nil {
		t.Fatal("docker-compose is not installed (make docker-test installs Debian's)")
	}
	cmd := exec.CommandContext(context.Background(), "docker-compose", "-f", filepath.Join(repoRoot, "docker", "compose.yaml"), "config", "-q")
	cmd.Env = append(os.Environ(), "SERVER_NAME=example.org", "ADMIN=@you:example.org")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("docker-compose config: %v\n%s", err, out)
	}
}

func TestInterpolate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a ${X} b", "a 1 b"},
		{"${Y:-dflt}", "dflt"},
		{"${X:-dflt}", "1"},
		{"${Y:-}", ""},
		{"$X", "$X"},
	} {
		got, err := interpolate(tc.in, map[string]string{"X": "1"})
		if err != nil || got != tc.want {
			t.Errorf("interpolate(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := interpolate("${Y:?say Y}", nil); err == nil || !strings.Contains(err.Error(), "say Y") {
		t.Errorf("missing required: %v", err)
	}
}

// defaultPort is where each bridge listens in its container (its config's appservice.port,
// which compose.yaml's appservice addresses name).
var defaultPort = map[string]int{"whatsapp": 29318, "telegram": 29317}

// serviceEnv is a service's environment for `docker run --network host`: every address of
// another service replaced by the test's (addrs: compose address prefix to test address), the
// database URI by dbURL. A value still naming a compose service fails the test: the service
// would not be reachable as written.
func serviceEnv(t *testing.T, svc composeService, addrs map[string]string, dbURL string) []string {
	t.Helper()
	keys := make([]string, 0, len(svc.Environment))
	for k := range svc.Environment {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var env []string
	for _, k := range keys {
		v := svc.Environment[k]
		if k == "MXBRIDGES_DATABASE__URI" {
			if u, err := url.Parse(v); err != nil || u.Host != "postgres:5432" {
				t.Errorf("database URI %q does not name the postgres service", v)
			}
			v = dbURL
		}
		for from, to := range addrs {
			if strings.HasPrefix(v, from) {
				v = to + strings.TrimPrefix(v, from)
			}
		}
		if u, err := url.Parse(v); err == nil && u.Host != "" {
			if slices.Contains([]string{"synapse", "postgres", "whatsapp", "telegram"}, u.Hostname()) {
				t.Errorf("%s=%s names the %s service at an address the others do not listen on", k, v, u.Hostname())
			}
		}
		env = append(env, k+"="+v)
	}
	return env
}

// checkSynapseReads reads the bridge's registration the way Synapse's container does: its
// volume mounted read-only where compose.yaml mounts it into synapse, as Synapse's uid (991).
func checkSynapseReads(t *testing.T, ctx context.Context, c *container, f composeFile) {
	t.Helper()
	vol := f.Services[c.bridge].mountAt("/data")
	var target string
	for _, m := range f.Services["synapse"].mounts() {
		if m.source == vol {
			target = m.target
		}
	}
	if target == "" {
		t.Errorf("synapse does not mount %s's volume", c.bridge)
		return
	}
	out, err := docker(ctx, "run", "--rm", "--network", "none", "--user", "991:991", "-v", c.volume+":"+target+":ro",
		"--entrypoint", "cat", image(c.bridge), target+"/registration.yaml")
	want, _ := os.ReadFile(filepath.Join(c.data, "registration.yaml"))
	if err != nil || out != string(want) {
		t.Errorf("synapse's uid cannot read %s/registration.yaml: %v\n%s", target, err, out)
	}
}

// configPort is appservice.port of a config file.
func configPort(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		AppService struct {
			Port int `yaml:"port"`
		} `yaml:"appservice"`
	}
	if err = yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return cfg.AppService.Port
}
