package deptest

import (
	"slices"
	"testing"
)

func TestOffending(t *testing.T) {
	c := Checker{BadSuffixes: []string{"tgfake", "wafake"}}
	deps := []string{
		"fmt",
		"testing",
		"testing/iotest",
		"testingx",
		"github.com/mxbridges/mxbridges/pkg/bridgekit/presence",
		"github.com/mxbridges/mxbridges/pkg/bridgetest",
		"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet",
		"github.com/mxbridges/mxbridges/pkg/bridgetestx",
		"github.com/mxbridges/mxbridges/pkg/cmd/devstack",
		"github.com/mxbridges/mxbridges/bridges/telegram/tgfake",
		"github.com/mxbridges/mxbridges/bridges/telegram/tgfakes",
		"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake",
	}
	want := []string{
		"testing",
		"testing/iotest",
		"github.com/mxbridges/mxbridges/pkg/bridgetest",
		"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet",
		"github.com/mxbridges/mxbridges/pkg/cmd/devstack",
		"github.com/mxbridges/mxbridges/bridges/telegram/tgfake",
		"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake",
	}
	if got := c.Offending(deps); !slices.Equal(got, want) {
		t.Errorf("Offending =\n%q\nwant\n%q", got, want)
	}
}

// TestDepsOfThisPackage proves Deps runs `go list` for real: this package imports testing,
// which a main package checked with the default list would be failed for.
func TestDepsOfThisPackage(t *testing.T) {
	c := Checker{Package: "github.com/mxbridges/mxbridges/pkg/deptest"}
	if got := c.Offending(c.Deps(t)); !slices.Contains(got, "testing") {
		t.Errorf("deps of deptest = %q, want testing among them", got)
	}
}
