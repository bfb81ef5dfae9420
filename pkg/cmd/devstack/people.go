package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/bridgeproc"
)

// hubName is the name of the people hub among the stack's bridges (bin/mxbridges-people).
const hubName = "people"

// pointHub lists every other bridge of the stack in the people hub's config (network.bridges:
// name, appservice address, provisioning secret), so that the hub of `make dev` reads the dev
// user's contacts on every network. Without a hub it does nothing.
func (st *stack) pointHub() error {
	hub, others := st.hub()
	if hub == nil || len(others) == 0 {
		return nil
	}
	list := make([]map[string]any, 0, len(others))
	for _, b := range others {
		list = append(list, map[string]any{
			"network": b.Name, "url": b.Registration.URL, "shared_secret": b.Config.Provisioning.SharedSecret,
		})
	}
	if err := bridgeconf.Apply(hub.ConfigPath, map[string]any{"network.bridges": list}); err != nil {
		return fmt.Errorf("point the people hub at the bridges: %w", err)
	}
	return nil
}

// hub returns the people hub of the stack (nil if none runs) and the other bridges.
func (st *stack) hub() (hub *bridgeproc.Process, others []*bridgeproc.Process) {
	for _, b := range st.bridges {
		if b.Name == hubName {
			hub = b
		} else {
			others = append(others, b)
		}
	}
	return hub, others
}

// hubSummary says what the people hub reads, if one runs.
func (st *stack) hubSummary(out io.Writer) {
	hub, others := st.hub()
	if hub == nil || len(others) == 0 {
		return
	}
	names := make([]string, 0, len(others))
	for _, b := range others {
		names = append(names, b.Name)
	}
	fmt.Fprintf(out, "\nThe people hub %s reads your contacts on %s: once you are logged in there, send it \"people\" (docs/people.md).\n",
		hub.BotMXID(), strings.Join(names, ", "))
}
