package main

import (
	"maunium.net/go/mautrix/bridgev2/matrix/mxmain"

	"github.com/mxbridges/mxbridges/pkg/bridgetest/fakenet"
)

func main() {
	m := mxmain.BridgeMain{
		Name:        "fakenet-bridge",
		URL:         "https://github.com/mxbridges/mxbridges",
		Description: "A test-only bridge to an in-memory fake network.",
		Version:     "0.0.0",
		Connector:   fakenet.New().Connector(),
	}
	m.InitVersion("", "", "")
	m.Run()
}
