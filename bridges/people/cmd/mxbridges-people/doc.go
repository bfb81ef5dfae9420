// Command mxbridges-people is the people hub of the mxbridges suite: a Matrix appservice that
// reads every bridge's contact list through its provisioning API and links the entries into
// people, one person for every network they are on.
package main
