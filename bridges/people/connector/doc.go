// Package connector is the people hub's bridgev2 network connector. The hub is an appservice of
// its own whose "network" is the other bridges of the suite: it reads each bridge's contact
// list and resolves identifiers through the bridge's provisioning API (package provision),
// links the entries into people (package directory), keeps them per Matrix user in its own
// tables of the bridge database (store.go), and answers the bot commands that show and change
// them (commands.go and commands_<part>.go). It imports no bridge's code.
//
// The hub has no remote network login: GetLoginFlows lists none, so bridgev2's `login` offers
// nothing and no UserLogin is ever created; the commands need no login (RequiresLogin is never
// set) and act for the Matrix user who sent them.
package connector
