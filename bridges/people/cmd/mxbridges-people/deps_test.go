package main

import (
	"testing"

	"github.com/mxbridges/mxbridges/pkg/deptest"
)

// TestDeps fails when the hub's binary links the test stack, a network fake or any bridge's
// code: the hub reaches the bridges only through Matrix and their provisioning APIs.
func TestDeps(t *testing.T) {
	deptest.Checker{
		Package: "github.com/mxbridges/mxbridges/bridges/people/cmd/mxbridges-people",
		Tags:    "goolm",
		Bad: append([]string{
			"github.com/mxbridges/mxbridges/bridges/telegram",
			"github.com/mxbridges/mxbridges/bridges/whatsapp",
		}, deptest.TestStack...),
		BadSuffixes: []string{"tgfake", "wafake", "fakenet"},
	}.Check(t)
}
