package main

import (
	"maunium.net/go/mautrix/bridgev2/matrix/mxmain"

	"github.com/mxbridges/mxbridges/bridges/telegram/connector"
)

// Set at build time with -ldflags "-X main.Tag=... -X main.Commit=... -X main.BuildTime=...".
var (
	Tag       = ""
	Commit    = ""
	BuildTime = ""
)

func main() {
	m := mxmain.BridgeMain{
		Name:        "mxbridges-telegram",
		URL:         "https://github.com/mxbridges/mxbridges",
		Description: "A Matrix-Telegram puppeting bridge.",
		Version:     "0.1.0",
		Connector:   connector.New(),
	}
	m.InitVersion(Tag, Commit, BuildTime)
	m.Run()
}
