package connector

import (
	"strings"

	"maunium.net/go/mautrix/bridgev2/commands"
)

// helpSection groups the hub's commands in `help`.
var helpSection = commands.HelpSection{Name: "People", Order: 15}

// commands is the one table of the hub's bot commands; each handler lives in the file of its
// concern (commands_people.go: reading; commands_change.go: changing; commands_find.go and
// commands_open.go: reaching people through the bridges).
// None needs a login: they act for the Matrix user who sent them.
func (c *Connector) commands() []commands.CommandHandler {
	cmd := func(name, args, desc string, f func(*commands.Event)) commands.CommandHandler {
		return &commands.FullHandler{
			Func: f, Name: name,
			Help: commands.HelpMeta{Section: helpSection, Description: desc, Args: args},
		}
	}
	return []commands.CommandHandler{
		cmd("people", "[_page_]", "List your people with the networks each is on, and suggested links", c.cmdPeople),
		cmd("person", "<_name_>", "Show one person: their contacts on every network", c.cmdPerson),
		cmd("sync", "", "Read the contact lists of every bridge again", c.cmdSync),
		cmd("find", "<_+number_>", "Find a phone number on every network", c.cmdFind),
		cmd("open", "<_name_|_+number_> [_network_]", "Open your chat with a person on their preferred (or the given) network", c.cmdOpen),
		cmd("link", "<_name_> <_name_>", "Make two people one (quote names with spaces, or use #numbers)", c.cmdLink),
		cmd("unlink", "<_name_> <_network_>", "Take a person's contact on a network out into a person of its own", c.cmdUnlink),
		cmd("rename", "<_name_> <_new name_>", "Give a person a name of your choosing", c.cmdRename),
		cmd("prefer", "<_name_> <_network_>", "Choose the network to reach a person on", c.cmdPrefer),
		cmd("forget", "<_name_>", "Remove a person and their contacts from the hub", c.cmdForget),
		// bridgev2's set-preferred-login (the login to use in a portal, which the hub never
		// has) owns the alias "prefer", and the processor looks aliases up before names: in
		// its place, that name runs the hub's prefer, so `prefer` reaches it.
		hidden{name: "set-preferred-login", run: c.cmdPrefer},
		// bridgev2's login would answer "No login flows available": say what to do instead.
		hidden{name: "login", run: c.cmdLogin},
	}
}

// cmdLogin answers `login`: the hub has none; the user logs in to the bridges.
func (c *Connector) cmdLogin(ce *commands.Event) {
	var nets []string
	for _, b := range c.Config.Bridges {
		nets = append(nets, b.Network)
	}
	if len(nets) == 0 {
		ce.Reply("The people hub needs no login of its own, but it has no bridges configured yet (network.bridges); ask the admin.")
		return
	}
	ce.Reply("The people hub needs no login of its own: log in to the bridges it reads (%s) with their bots, then `$cmdprefix people`.",
		strings.Join(nets, ", "))
}

// hidden is a command without an entry in `help`.
type hidden struct {
	name string
	run  func(*commands.Event)
}

func (h hidden) Run(ce *commands.Event) { h.run(ce) }
func (h hidden) GetName() string        { return h.name }

// splitArgs splits a command's arguments at spaces, keeping "quoted words" together.
func splitArgs(raw string) []string {
	var out []string
	var cur strings.Builder
	quoted, has := false, false
	for _, r := range raw {
		switch {
		case r == '"':
			quoted, has = !quoted, true
		case !quoted && (r == ' ' || r == '\t' || r == '\n'):
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}
