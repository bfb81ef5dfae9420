package main

import (
	"slices"
	"testing"

	"github.com/mxbridges/mxbridges/pkg/deptest"
)

const pkg = "github.com/mxbridges/mxbridges/bridges/whatsapp/cmd/mxbridges-whatsapp"

// TestDeps fails when the bridge binary links in the test stack or a network fake.
func TestDeps(t *testing.T) {
	deptest.Checker{
		Package:     pkg,
		Tags:        "goolm",
		Bad:         append(slices.Clone(deptest.TestStack), "github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"),
		BadSuffixes: []string{"wafake", "fakenet"},
	}.Check(t)
}

// TestDepsWAFake: the crash tests' build (tag wafake) does reach the fake, through its remote
// client, and still links no test stack.
func TestDepsWAFake(t *testing.T) {
	c := deptest.Checker{Package: pkg, Tags: "goolm,wafake"}
	deps := c.Deps(t)
	for _, want := range []string{
		"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake",
		"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake/remote",
	} {
		if !slices.Contains(deps, want) {
			t.Errorf("the wafake build of %s does not link %s", pkg, want)
		}
	}
	for _, dep := range c.Offending(deps) {
		t.Errorf("the wafake build of %s depends on %s, which only tests may use", pkg, dep)
	}
}
