//go:build wafake

package main

import (
	"os"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake/remote"
)

// EnvWAFakeURL is where a binary built with the wafake tag finds the fake WhatsApp network of
// the test that runs it (wafake.ServeRemote).
const EnvWAFakeURL = "MXB_WAFAKE_URL"

// Test builds (tag wafake) talk to the test's fake WhatsApp instead of WhatsApp.
func init() {
	newConnector = func() *connector.Connector {
		c := connector.New()
		if url := os.Getenv(EnvWAFakeURL); url != "" {
			c.NewClient = remote.NewFunc(url)
		}
		return c
	}
}
