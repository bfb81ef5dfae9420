//go:build integration

package doccheck

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/loopback"
)

// way is how the test runs the commands it matches instead of running them as written. Every
// other command runs as written, in bash, and must exit 0.
type way struct {
	match *regexp.Regexp
	// how says what the test does instead, and why; it is logged for each command.
	how string
	run func(s *session, cmd string, m []string) error
}

// ways are the commands that cannot run as written inside `make test`. A command the docs add
// that runs as written needs no entry; one that cannot (too long, runs until Ctrl-C, needs a
// registry) fails until it has one.
var ways = []way{
	{regexp.MustCompile(`^git clone <this repository> (\S+) && cd (\S+)$`),
		"cloned from this repository (its committed HEAD); the file's later blocks run in the clone",
		func(s *session, cmd string, m []string) error {
			if _, err := s.shell(strings.Replace(cmd, "<this repository>", s.root, 1), 2*time.Minute); err != nil {
				return err
			}
			s.clone, s.base = s.cwd, s.cwd
			return nil
		}},
	{regexp.MustCompile(`^make (test|bench|chaos|fuzz)((?: [A-Z_]+=\S+)*)$`),
		"takes too long inside make test: `make -n` (with the same variables) checks that the target exists and its recipe expands",
		func(s *session, _ string, m []string) error {
			_, err := s.shell("make -n "+m[1]+m[2], time.Minute)
			return err
		}},
	{regexp.MustCompile(`^make (docker-images|docker-test)$`),
		"needs a Docker engine: `make -n` here; make docker-test builds and runs the images (bridges/telegram/dockertest)",
		func(s *session, _ string, m []string) error {
			_, err := s.shell("make -n "+m[1], time.Minute)
			return err
		}},
	{regexp.MustCompile(`^make dev$`),
		"runs until Ctrl-C: started, stopped with SIGINT after its ready line, must say it removed the stack",
		func(s *session, cmd string, _ []string) error {
			return s.untilReady(cmd, "The mxbridges dev stack is up.")
		}},
	{regexp.MustCompile(`^bin/mxbridges init (.*)$`),
		"run against the test Synapse, with --port set to free ports (the default ports may be taken on a shared machine)",
		func(s *session, cmd string, _ []string) error {
			port, err := loopback.FreePort()
			if err != nil {
				return err
			}
			_, err = s.shell(fmt.Sprintf("%s --port %d", s.subst(cmd), port), time.Minute)
			return err
		}},
	{regexp.MustCompile(`^bin/mxbridges-\w+ -c (\S+) -r \S+$`),
		"runs until stopped: started, waited for until `mxbridges health` passes, stopped at the end of the file",
		func(s *session, cmd string, m []string) error { return s.background(s.subst(cmd), s.subst(m[1])) }},
	{regexp.MustCompile(`^docker-compose (build|run --rm --no-deps (\w+)|run --rm (synapse) generate|up -d|exec (synapse) .*|ps)$`),
		"needs Docker Hub's synapse and postgres images: checked against compose.yaml here (the service exists, .env sets what it requires); make docker-test runs the bridge services as compose.yaml declares them",
		func(s *session, _ string, m []string) error { return s.checkCompose(m[2] + m[3] + m[4]) }},
}

// steps are the comment lines of shell blocks that tell the reader to do something by hand.
var steps = []way{
	{regexp.MustCompile(`^edit config\.yaml: (.+)$`),
		"the edits it names, with the test Synapse's address, a free port and SQLite",
		func(s *session, _ string, m []string) error { return s.editConfig(m[1]) }},
	{regexp.MustCompile(`^add registration\.yaml to Synapse's app_service_config_files and restart Synapse$`),
		"registration.yaml given to the test Synapse, which starts",
		func(s *session, _ string, _ []string) error {
			return s.register([]string{filepath.Join(s.cwd, "registration.yaml")})
		}},
}

// configEdits are what an "edit config.yaml:" step may name, and the settings the test uses.
func (s *session) configEdits(port int) map[string]map[string]any {
	return map[string]map[string]any{
		"homeserver":                {"homeserver.address": s.hs.URL, "homeserver.domain": s.hs.ServerName},
		"appservice":                {"appservice.address": loopback.URL(port), "appservice.port": port},
		"database":                  {"database.type": "sqlite3-fk-wal", "database.uri": "file:bridge.db?_txlock=immediate"},
		"bridge.permissions":        {"bridge.permissions": map[string]string{s.hs.ServerName: "user"}},
		"permissions":               {"bridge.permissions": map[string]string{s.hs.ServerName: "user"}},
		"network.api_id / api_hash": {"network.api_id": 12345, "network.api_hash": "0123456789abcdef0123456789abcdef"},
	}
}

func (s *session) editConfig(list string) error {
	port, err := loopback.FreePort()
	if err != nil {
		return err
	}
	edits := s.configEdits(port)
	settings := map[string]any{}
	for _, item := range strings.Split(list, ", ") {
		e, ok := edits[item]
		if !ok {
			return fmt.Errorf("the test does not know how to edit %q (add it to configEdits)", item)
		}
		for k, v := range e {
			settings[k] = v
		}
	}
	return bridgeconf.Apply(filepath.Join(s.cwd, "config.yaml"), settings)
}

// untilReady starts a command that runs until Ctrl-C, waits for its ready line, interrupts it
// as Ctrl-C does (SIGINT to its process group) and waits for it to end.
func (s *session) untilReady(cmd, ready string) error {
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, "bash", "-c", "cd "+shellQuote(s.cwd)+" && exec "+cmd)
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	c.Stdout, c.Stderr = pw, pw
	if err := c.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd, err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait(); _ = pw.Close() }()
	var out strings.Builder
	sawReady := make(chan struct{})
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		once := false
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), ready) {
				once = true
				close(sawReady)
			}
		}
	}()
	select {
	case <-sawReady:
	case err := <-done:
		<-scanned
		return fmt.Errorf("%s ended before %q: %v\n%s", cmd, ready, err, out.String())
	case <-ctx.Done():
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		return fmt.Errorf("%s: no %q within 5 min\n%s", cmd, ready, out.String())
	}
	_ = syscall.Kill(-c.Process.Pid, syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(time.Minute):
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		return fmt.Errorf("%s did not stop within a minute of Ctrl-C", cmd)
	}
	<-scanned
	if !strings.Contains(out.String(), "Stopping and removing") {
		return fmt.Errorf("%s stopped without removing the stack:\n%s", cmd, out.String())
	}
	s.t.Logf("%s was up and stopped:\n%s", cmd, indent(out.String()))
	return nil
}

// background starts a bridge as the docs run it and waits until its health check passes.
func (s *session) background(cmd, config string) error {
	if s.clone == "" {
		return errors.New("no clone with bin/mxbridges yet (docs/admin.md runs first)")
	}
	log, err := os.Create(filepath.Join(s.scratch, fmt.Sprintf("bridge-%d.log", len(s.procs))))
	if err != nil {
		return err
	}
	c := exec.Command("bash", "-c", "cd "+shellQuote(s.cwd)+" && exec "+cmd)
	c.Stdout, c.Stderr = log, log
	if err = c.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	s.procs = append(s.procs, proc{cmd: c, exited: exited, log: log.Name()})
	if !filepath.IsAbs(config) {
		config = filepath.Join(s.cwd, config)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		check := exec.CommandContext(s.ctx, filepath.Join(s.clone, "bin", "mxbridges"), "health", config)
		if check.Run() == nil {
			return nil
		}
		select {
		case err := <-exited:
			exited <- err
			data, _ := os.ReadFile(log.Name())
			return fmt.Errorf("%s exited: %v\n%s", cmd, err, tail(string(data), 30))
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(log.Name())
			return fmt.Errorf("%s not live after 90 s\n%s", cmd, tail(string(data), 30))
		}
	}
}

// checkCompose checks a docker-compose command against the compose file in the current folder:
// the service it names exists, and .env sets the variables the file requires.
func (s *session) checkCompose(service string) error {
	data, err := os.ReadFile(filepath.Join(s.cwd, "compose.yaml"))
	if err != nil {
		return fmt.Errorf("docker-compose finds no compose.yaml in %s: %w", s.cwd, err)
	}
	var f struct {
		Services map[string]any `yaml:"services"`
	}
	if err = yaml.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("parse compose.yaml: %w", err)
	}
	if _, ok := f.Services[service]; service != "" && !ok {
		return fmt.Errorf("compose.yaml has no service %q", service)
	}
	env, err := os.ReadFile(filepath.Join(s.cwd, ".env"))
	if err != nil {
		return fmt.Errorf("no .env next to compose.yaml: %w", err)
	}
	for _, m := range regexp.MustCompile(`\$\{(\w+):\?`).FindAllStringSubmatch(string(data), -1) {
		if !regexp.MustCompile(`(?m)^` + m[1] + `=\S`).Match(env) {
			return fmt.Errorf(".env does not set %s, which compose.yaml requires", m[1])
		}
	}
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
