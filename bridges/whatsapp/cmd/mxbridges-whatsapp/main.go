package main

import (
	"maunium.net/go/mautrix/bridgev2/matrix/mxmain"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/connector"
)

// Set at build time with -ldflags "-X main.Tag=... -X main.Commit=... -X main.BuildTime=...".
var (
	Tag       = ""
	Commit    = ""
	BuildTime = ""
)

// newConnector makes the network connector; a build with the wafake tag replaces it (wafake.go).
var newConnector = connector.New

func main() {
	m := mxmain.BridgeMain{
		Name:        "mxbridges-whatsapp",
		URL:         "https://github.com/mxbridges/mxbridges",
		Description: "A Matrix-WhatsApp puppeting bridge.",
		Version:     "0.1.0",
		Connector:   newConnector(),
	}
	m.InitVersion(Tag, Commit, BuildTime)
	m.Run()
}
