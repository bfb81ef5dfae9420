package connector

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"maunium.net/go/mautrix/bridgev2/commands"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
)

// cmdPeople lists the user's people, a page at a time (`people 2`). A user who has none yet
// gets a sync first.
func (c *Connector) cmdPeople(ce *commands.Event) {
	page := 1
	if arg := strings.TrimSpace(ce.RawArgs); arg != "" {
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 {
			ce.Reply("Usage: `$cmdprefix people [page]`, e.g. `$cmdprefix people 2`")
			return
		}
		page = n
	}
	d, err := c.Store.Load(ce.Ctx, ce.User.MXID)
	if err != nil {
		c.internalError(ce, err)
		return
	}
	if len(d.People) == 0 {
		c.cmdSync(ce)
		return
	}
	ce.Reply(listPeople(d, page))
}

// cmdSync reads every bridge's contact list again and lists the result. Bridges that could
// not answer are named; the rest are synced all the same.
func (c *Connector) cmdSync(ce *commands.Event) {
	rep, err := c.Sync(ce.Ctx, ce.User.MXID)
	if errors.Is(err, errNoBridges) {
		ce.Reply(err.Error())
		return
	} else if err != nil {
		c.internalError(ce, err)
		return
	}
	d, err := c.Store.Load(ce.Ctx, ce.User.MXID)
	if err != nil {
		c.internalError(ce, err)
		return
	}
	var b strings.Builder
	var synced []string
	for _, n := range rep.Networks {
		if r, ok := rep.Results[n]; ok {
			synced = append(synced, fmt.Sprintf("%s (%d new, %d linked by phone number)", n, r.Added, r.Linked))
		}
	}
	if len(synced) > 0 {
		fmt.Fprintf(&b, "Read the contacts of %s.\n\n", strings.Join(synced, ", "))
	}
	if len(rep.NotLoggedIn) > 0 {
		fmt.Fprintf(&b, "You are not logged in on %s: log in with %s to add your contacts there.\n\n",
			strings.Join(rep.NotLoggedIn, ", "), plural(len(rep.NotLoggedIn), "its bot", "their bots"))
	}
	if len(rep.Failures) > 0 {
		fmt.Fprintf(&b, "Could not read the contacts of %d %s (their people stay as they were):\n\n%s\n",
			len(rep.Failures), plural(len(rep.Failures), "bridge", "bridges"), failures(rep.Failures))
	}
	b.WriteString(listPeople(d, 1))
	ce.Reply(b.String())
}

// cmdPerson shows one person.
func (c *Connector) cmdPerson(ce *commands.Event) {
	if strings.TrimSpace(ce.RawArgs) == "" {
		ce.Reply("Usage: `$cmdprefix person <name>` (a name, part of one, or a #number from `$cmdprefix people`)")
		return
	}
	d, err := c.Store.Load(ce.Ctx, ce.User.MXID)
	if err != nil {
		c.internalError(ce, err)
		return
	}
	if p := pick(ce, d, strings.Trim(strings.TrimSpace(ce.RawArgs), `"`)); p != nil {
		ce.Reply(showPerson(p))
	}
}

// pick returns the one person query names, or answers why there is none (nobody, or several:
// listed) and returns nil.
func pick(ce *commands.Event, d *directory.Directory, query string) *directory.Person {
	matches := d.Find(query)
	switch len(matches) {
	case 0:
		ce.Reply(notFound(query))
		return nil
	case 1:
		return matches[0]
	default:
		ce.Reply(ambiguous(query, matches))
		return nil
	}
}

// internalError answers a failure of the hub itself (its database) and logs it.
func (c *Connector) internalError(ce *commands.Event, err error) {
	ce.Log.Err(err).Str("command", ce.Command).Msg("People command failed")
	ce.Reply("Something went wrong in the hub (its log says what); nothing was changed.")
}
