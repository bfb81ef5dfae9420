package bridgetest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MinSecretLen is the length below which a secret is not looked for in logs: shorter strings
// match ordinary words and IDs by chance. Tests should use longer secrets.
const MinSecretLen = 8

// Secret is a value that must never be written to a log, with what it is.
type Secret struct {
	What  string
	Value string
}

// Leak is one log line that contains a secret.
type Leak struct {
	File string
	Line int
	What string
}

func (l Leak) String() string { return fmt.Sprintf("%s:%d: %s", l.File, l.Line, l.What) }

// AddSecret records a secret the run uses (a password typed into a login, a network token)
// so that [Stack.CheckLogs] looks for it. Stack.User records the users' passwords and access
// tokens itself, and the bridges' tokens and provisioning secrets are always looked for.
func (s *Stack) AddSecret(what, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets = append(s.secrets, Secret{What: what, Value: value})
}

// Secrets returns every secret of the run: the appservice tokens and provisioning secret of
// every bridge and whatever was recorded with AddSecret.
func (s *Stack) Secrets() []Secret {
	s.mu.Lock()
	out := append([]Secret(nil), s.secrets...)
	s.mu.Unlock()
	for _, b := range s.Bridges {
		out = append(out,
			Secret{b.Name + " as_token", b.Registration.AppToken},
			Secret{b.Name + " hs_token", b.Registration.ServerToken},
			Secret{b.Name + " provisioning secret", b.ProvisioningSecret()})
	}
	for _, p := range s.Processes {
		if p.Process == nil {
			continue
		}
		out = append(out,
			Secret{p.Name + " as_token", p.Registration.AppToken},
			Secret{p.Name + " hs_token", p.Registration.ServerToken},
			Secret{p.Name + " provisioning secret", p.ProvisioningSecret()})
	}
	return out
}

// LogFiles lists the logs the stack wrote: every file under the artifact directory whose name
// contains ".log" (bridge logs, binaries' stdout and their own log files), and Synapse's log.
func (s *Stack) LogFiles() ([]string, error) {
	var files []string
	err := filepath.WalkDir(s.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(d.Name(), ".log") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list logs: %w", err)
	}
	if _, err = os.Stat(s.Synapse.LogPath()); err == nil {
		files = append(files, s.Synapse.LogPath())
	}
	sort.Strings(files)
	return files, nil
}

// debugLogs are the logs that must hold debug-level lines for a scan of them to mean much:
// in-process bridges' logs and the JSON log file each binary writes (./logs/bridge.log) once
// it has got that far (a run of a few tests may stop a binary before).
func (s *Stack) debugLogs() []string {
	var files []string
	for _, b := range s.Bridges {
		files = append(files, b.LogPath)
	}
	for _, p := range s.Processes {
		if p.Process == nil {
			continue
		}
		if f := filepath.Join(p.Dir, "logs", "bridge.log"); fileExists(f) {
			files = append(files, f)
		}
	}
	return files
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// CheckLogs fails if any log the stack wrote contains any secret of the run, naming the file,
// line and secret (never its value), or if a bridge log has no debug-level lines (then the
// scan would prove little). Use it with AfterTests.
func (s *Stack) CheckLogs() error {
	files, err := s.LogFiles()
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range s.debugLogs() {
		n, err := CountLines(f, `"level":"debug"`)
		if err != nil {
			errs = append(errs, err)
		} else if n == 0 {
			errs = append(errs, fmt.Errorf("bridge log %s has no debug-level lines", f))
		}
	}
	leaks, err := ScanLogs(files, s.Secrets())
	if err != nil {
		errs = append(errs, err)
	}
	for _, l := range leaks {
		errs = append(errs, fmt.Errorf("secret in log: %s", l))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// ScanLogs returns every line of files that contains a secret. Secrets shorter than
// MinSecretLen and repeated values are skipped.
func ScanLogs(files []string, secrets []Secret) ([]Leak, error) {
	var wanted []Secret
	seen := map[string]bool{}
	for _, sec := range secrets {
		if len(sec.Value) >= MinSecretLen && !seen[sec.Value] {
			seen[sec.Value] = true
			wanted = append(wanted, sec)
		}
	}
	var leaks []Leak
	for _, f := range files {
		found, err := scanFile(f, wanted)
		if err != nil {
			return leaks, err
		}
		leaks = append(leaks, found...)
	}
	return leaks, nil
}

func scanFile(path string, secrets []Secret) ([]Leak, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	defer f.Close()
	var leaks []Leak
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadString('\n')
		for _, sec := range secrets {
			if strings.Contains(line, sec.Value) {
				leaks = append(leaks, Leak{File: path, Line: n, What: sec.What + " (" + Mask(sec.Value) + ")"})
			}
		}
		if errors.Is(err, io.EOF) {
			return leaks, nil
		} else if err != nil {
			return leaks, fmt.Errorf("read log %s: %w", path, err)
		}
	}
}

// CountLines counts the lines of the file at path that contain sub.
func CountLines(path, sub string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read log: %w", err)
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, sub) {
			n++
		}
	}
	return n, nil
}

// Mask shows a secret's first two characters and its length, never the rest.
func Mask(secret string) string {
	if len(secret) <= 4 {
		return fmt.Sprintf("[%d chars]", len(secret))
	}
	return fmt.Sprintf("%s…[%d chars]", secret[:2], len(secret))
}
