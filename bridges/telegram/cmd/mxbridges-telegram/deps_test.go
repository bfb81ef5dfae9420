package main

import (
	"testing"

	"github.com/mxbridges/mxbridges/pkg/deptest"
)

// TestDeps fails when the bridge binary links in the test stack or a network fake.
func TestDeps(t *testing.T) {
	deptest.Checker{
		Package:     "github.com/mxbridges/mxbridges/bridges/telegram/cmd/mxbridges-telegram",
		Tags:        "goolm",
		BadSuffixes: []string{"tgfake", "fakenet"},
	}.Check(t)
}
