package main

import (
	"maunium.net/go/mautrix/bridgev2/matrix/mxmain"

	"github.com/mxbridges/mxbridges/bridges/people/connector"
)

// Set at build time with -ldflags "-X main.Tag=... -X main.Commit=... -X main.BuildTime=...".
var (
	Tag       = ""
	Commit    = ""
	BuildTime = ""
)

func main() {
	m := mxmain.BridgeMain{
		Name:        "mxbridges-people",
		URL:         "https://github.com/mxbridges/mxbridges",
		Description: "The people hub: one person, every network, across the bridges of mxbridges.",
		Version:     "0.1.0",
		Connector:   connector.New(),
	}
	m.InitVersion(Tag, Commit, BuildTime)
	m.Run()
}
