package synapse

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed install.sh
var installScript string

// DefaultRoot is where the Synapse chroot lives unless MXB_SYNAPSE_ROOT says otherwise. It must
// agree with install.sh.
func DefaultRoot() string {
	if root := os.Getenv("MXB_SYNAPSE_ROOT"); root != "" {
		return root
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "mxbridges", "synapse-sid")
}

// Installed reports whether a finished chroot is present at root.
func Installed(root string) bool {
	_, err := os.Stat(filepath.Join(root, ".mxbridges-ready"))
	return err == nil
}

// Ensure returns the path of a ready Synapse chroot, installing one first if there is none.
// An install takes a few minutes and needs root and Debian's package mirror; its progress goes
// to stderr.
func Ensure(ctx context.Context) (string, error) {
	root := DefaultRoot()
	if Installed(root) {
		return root, nil
	}
	cmd := exec.CommandContext(ctx, "bash", "-c", installScript)
	cmd.Env = append(os.Environ(), "MXB_SYNAPSE_ROOT="+root)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("install synapse chroot at %s: %w", root, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if got := lines[len(lines)-1]; got != root || !Installed(root) {
		return "", fmt.Errorf("install synapse chroot: script reported %q, want a ready chroot at %s", got, root)
	}
	return root, nil
}
