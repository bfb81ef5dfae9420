//go:build integration

package doccheck

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"maunium.net/go/mautrix/appservice"

	"github.com/mxbridges/mxbridges/pkg/synapse"
)

// docFile is a documentation file and the folder its blocks start in.
type docFile struct {
	path string
	// base: "fresh" an empty folder; "clone" the clone docs/admin.md made; "bin" an empty
	// folder with bin/ linked to the clone's, for the per-bridge pages that run bin/... there.
	base string
}

// docFiles are every documentation file, in the order the test follows them: docs/admin.md
// first, since it clones and builds what the others use.
var docFiles = []docFile{
	{"docs/admin.md", "fresh"},
	{"README.md", "clone"},
	{"docs/bridges/whatsapp.md", "bin"},
	{"docs/bridges/telegram.md", "bin"},
	{"docs/benchmarks.md", "clone"},
	{"docker/README.md", "clone"},
	{"docs/troubleshooting.md", "clone"},
	{"docs/metrics.md", "clone"},
	{"docs/users.md", "clone"},
	{"docs/people.md", "clone"},
	{"docs/architecture.md", "clone"},
}

// session is the state the docs' commands share: the clone, the current folder, and the
// current file's Synapse and running bridges.
type session struct {
	t           *testing.T
	ctx         context.Context
	root        string // this repository
	scratch     string
	clone       string
	base, cwd   string
	hs          *synapse.Server
	hsStarted   bool
	procs       []proc
	ran         map[string]string // command → where it ran first
	used        map[*regexp.Regexp]bool
	stateFile   string
	currentFile string
}

// proc is a bridge the docs started.
type proc struct {
	cmd    *exec.Cmd
	exited chan error
	log    string
}

// TestDocs runs every shell command the documentation shows, as written where it can and as
// the ways table says where it cannot, against a real Synapse.
func TestDocs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	checkDocList(t, root)
	s := &session{t: t, ctx: ctx, root: root, scratch: t.TempDir(), ran: map[string]string{}, used: map[*regexp.Regexp]bool{}}
	s.stateFile = filepath.Join(s.scratch, ".pwd")
	for _, f := range docFiles {
		if !s.file(f) {
			break
		}
	}
	for _, w := range append(slices.Clone(ways), steps...) {
		if !s.used[w.match] && !t.Failed() {
			t.Errorf("the ways table's %s matches no command of the docs: remove it", w.match)
		}
	}
}

// checkDocList fails when a documentation file is not in docFiles.
func checkDocList(t *testing.T, root string) {
	var found []string
	for _, pattern := range []string{"README.md", "docs/*.md", "docs/bridges/*.md", "docker/README.md"} {
		matches, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, m := range matches {
			rel, _ := filepath.Rel(root, m)
			found = append(found, rel)
		}
	}
	for _, f := range found {
		if !slices.ContainsFunc(docFiles, func(d docFile) bool { return d.path == f }) {
			t.Errorf("%s is not in docFiles: add it, so that its commands run", f)
		}
	}
}

// file runs one documentation file's blocks; false stops the test.
func (s *session) file(f docFile) bool {
	t := s.t
	s.currentFile = f.path
	blocks, err := Blocks(filepath.Join(s.root, f.path))
	if err != nil {
		t.Error(err)
		return false
	}
	if s.hs, err = synapse.New(s.ctx, synapse.Options{Name: "doccheck"}); err != nil {
		t.Fatal(err)
	}
	s.hsStarted = false
	defer s.endFile()
	switch f.base {
	case "fresh", "bin":
		s.base = filepath.Join(s.scratch, strings.NewReplacer("/", "_", ".md", "").Replace(f.path))
		if err = os.MkdirAll(s.base, 0o755); err != nil {
			t.Fatal(err)
		}
		if f.base == "bin" {
			if s.clone == "" {
				t.Errorf("%s: no clone yet", f.path)
				return false
			}
			if err = os.Symlink(filepath.Join(s.clone, "bin"), filepath.Join(s.base, "bin")); err != nil {
				t.Fatal(err)
			}
		}
	case "clone":
		if s.clone == "" {
			t.Errorf("%s: no clone yet", f.path)
			return false
		}
		s.base = s.clone
	}
	section := "\x00"
	for _, b := range blocks {
		where := fmt.Sprintf("%s:%d", f.path, b.Line)
		if slices.Contains(OtherShellLangs, b.Lang) {
			t.Errorf("%s: a ```%s block; the docs mark commands ```%s", where, b.Lang, ShellLang)
			continue
		}
		if b.Lang == "yaml" && strings.HasPrefix(b.Text, "app_service_config_files:") {
			if err = s.registrationBlock(b.Text); err != nil {
				t.Errorf("%s: %v", where, err)
				return false
			}
			continue
		}
		if b.Lang != ShellLang {
			continue
		}
		if b.Section != section {
			s.cwd = s.base // a cd lasts for its section
			section = b.Section
		}
		for _, c := range Commands(b.Text) {
			if !s.command(fmt.Sprintf("%s:%d", f.path, b.Line+c.Line), c) {
				return false
			}
		}
	}
	return true
}

// command runs one command or step; false stops the test.
func (s *session) command(where string, c Command) bool {
	t := s.t
	table := ways
	if c.Step {
		table = steps
	}
	if first, ok := s.ran[c.Text]; ok && !c.Step {
		t.Logf("%s: %s\n    the same command as %s", where, c.Text, first)
		return true
	}
	s.ran[c.Text] = where
	for _, w := range table {
		if m := w.match.FindStringSubmatch(c.Text); m != nil {
			s.used[w.match] = true
			start := time.Now()
			err := w.run(s, c.Text, m)
			t.Logf("%s: %s\n    %s (%.1f s)", where, c.Text, w.how, time.Since(start).Seconds())
			if err != nil {
				t.Errorf("%s: %s: %v", where, c.Text, err)
				return false
			}
			return true
		}
	}
	if c.Step {
		t.Errorf("%s: the step %q has no way to be done in the steps table", where, c.Text)
		return false
	}
	start := time.Now()
	out, err := s.shell(s.subst(c.Text), 5*time.Minute)
	t.Logf("%s: %s\n    run as written (%.1f s)", where, c.Text, time.Since(start).Seconds())
	if err != nil {
		t.Errorf("%s: %s: %v\n%s\n(a command that cannot run here needs an entry in the ways table)", where, c.Text, err, out)
		return false
	}
	return true
}

// subst replaces the docs' example addresses with the test stack's.
func (s *session) subst(cmd string) string {
	return strings.NewReplacer(
		"http://127.0.0.1:8008", s.hs.URL,
		"example.org", s.hs.ServerName,
		"/etc/mxbridges", filepath.Join(s.scratch, "etc-mxbridges"),
	).Replace(cmd)
}

// shell runs a command in bash in the current folder, and follows its cd.
func (s *session) shell(cmd string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	script := fmt.Sprintf("cd %s\n%s\npwd > %s\n", shellQuote(s.cwd), cmd, shellQuote(s.stateFile))
	c := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", script)
	out, err := c.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("exit: %w", err)
	}
	if dir, err := os.ReadFile(s.stateFile); err == nil {
		s.cwd = strings.TrimSpace(string(dir))
	}
	return string(out), nil
}

// registrationBlock does what a homeserver.yaml snippet asks: the registrations it lists go to
// the test Synapse, which starts. Paths inside compose's containers are checked by the docker
// test (TestComposeFile) instead.
func (s *session) registrationBlock(text string) error {
	var paths []string
	for _, line := range strings.Split(text, "\n")[1:] {
		p := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if strings.HasPrefix(p, "/bridges/") {
			s.t.Logf("%s: %s\n    a path inside compose's synapse container: make docker-test checks it", s.currentFile, p)
			continue
		}
		paths = append(paths, s.subst(p))
	}
	if len(paths) == 0 {
		return nil
	}
	s.t.Logf("%s: app_service_config_files %v\n    given to the test Synapse, which starts", s.currentFile, paths)
	return s.register(paths)
}

// register gives registrations to the file's Synapse and starts it.
func (s *session) register(paths []string) error {
	if s.hsStarted {
		return fmt.Errorf("a second registration step in %s: the test starts Synapse once per file", s.currentFile)
	}
	for _, p := range paths {
		reg, err := appservice.LoadRegistration(p)
		if err != nil {
			return fmt.Errorf("load registration: %w", err)
		}
		if err = s.hs.AddRegistration(reg); err != nil {
			return err
		}
	}
	s.hsStarted = true
	return s.hs.Start(s.ctx)
}

// endFile stops what the file started.
func (s *session) endFile() {
	for _, p := range s.procs {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(30 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	if s.t.Failed() {
		for _, p := range s.procs {
			data, _ := os.ReadFile(p.log)
			s.t.Logf("log of %s:\n%s", strings.Join(p.cmd.Args, " "), tail(string(data), 40))
		}
		if s.hsStarted {
			s.t.Logf("synapse log:\n%s", s.hs.LogTail(40))
		}
	}
	s.procs = nil
	s.hs.Stop()
	_ = s.hs.Remove()
}
