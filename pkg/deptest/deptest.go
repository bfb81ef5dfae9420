package deptest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStack is every import path prefix of the suite that only tests may use: the Synapse and
// PostgreSQL harness, the bridge test harness with its fake network, Matrix test users, the
// process runner, the config generator of tests and this package.
var TestStack = []string{
	"github.com/mxbridges/mxbridges/pkg/synapse",
	"github.com/mxbridges/mxbridges/pkg/postgres",
	"github.com/mxbridges/mxbridges/pkg/bridgetest",
	"github.com/mxbridges/mxbridges/pkg/matrixtest",
	"github.com/mxbridges/mxbridges/pkg/bridgeproc",
	"github.com/mxbridges/mxbridges/pkg/bridgeconf",
	"github.com/mxbridges/mxbridges/pkg/loopback",
	"github.com/mxbridges/mxbridges/pkg/deptest",
	"github.com/mxbridges/mxbridges/pkg/loadtest",
	"github.com/mxbridges/mxbridges/pkg/cmd/",
	"testing",
}

// Checker lists the dependencies of one main package and judges them.
type Checker struct {
	// Package is the import path of the binary's main package, as `go list` takes it.
	Package string
	// Tags are the build tags the binary is built with (the Makefile's TAGS).
	Tags string
	// Bad are import path prefixes that must not appear; TestStack when empty. A path is bad
	// when it equals a prefix or starts with the prefix followed by "/" (or when the prefix
	// itself ends in "/").
	Bad []string
	// BadSuffixes are last path elements that must not appear, such as a fake's package name
	// ("tgfake", "wafake", "fakenet").
	BadSuffixes []string
}

// Deps returns the import paths that `go list -deps` gives for c.Package.
func (c Checker) Deps(t testing.TB) []string {
	t.Helper()
	args := []string{"list", "-deps"}
	if c.Tags != "" {
		args = append(args, "-tags", c.Tags)
	}
	args = append(args, c.Package)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 {
		t.Fatalf("go %s listed no package", strings.Join(args, " "))
	}
	return deps
}

// Check fails t for every dependency of c.Package that Bad or BadSuffixes names.
func (c Checker) Check(t testing.TB) {
	t.Helper()
	for _, dep := range c.Offending(c.Deps(t)) {
		t.Errorf("%s depends on %s, which only tests may use", c.Package, dep)
	}
}

// Offending returns the paths in deps that Bad or BadSuffixes names, in order.
func (c Checker) Offending(deps []string) []string {
	bad := c.Bad
	if len(bad) == 0 {
		bad = TestStack
	}
	var found []string
	for _, dep := range deps {
		if matches(dep, bad, c.BadSuffixes) {
			found = append(found, dep)
		}
	}
	return found
}

func matches(dep string, prefixes, suffixes []string) bool {
	for _, p := range prefixes {
		if dep == p || strings.HasPrefix(dep, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	last := dep[strings.LastIndex(dep, "/")+1:]
	for _, s := range suffixes {
		if last == s {
			return true
		}
	}
	return false
}
