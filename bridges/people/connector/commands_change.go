package connector

import (
	"errors"
	"fmt"
	"strings"

	"maunium.net/go/mautrix/bridgev2/commands"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
)

// errAnswered ends a change whose answer was already given (unknown or ambiguous name).
var errAnswered = errors.New("answered")

// change runs f on the user's directory and saves it, unless f answered with an error.
func (c *Connector) change(ce *commands.Event, f func(d *directory.Directory) (string, error)) {
	var answer string
	err := c.Store.Update(ce.Ctx, ce.User.MXID, func(d *directory.Directory) error {
		var err error
		answer, err = f(d)
		return err
	})
	switch {
	case errors.Is(err, errAnswered):
	case errors.Is(err, directory.ErrSamePerson), errors.Is(err, directory.ErrOnlyNetwork), errors.Is(err, directory.ErrNotOnNetwork):
		ce.Reply("Nothing changed: %s.", err.Error())
	case err != nil:
		c.internalError(ce, err)
	default:
		ce.Reply(answer)
	}
}

// pickOrAnswer is pick inside a change: nil means it answered already.
func pickOrAnswer(ce *commands.Event, d *directory.Directory, query string) (*directory.Person, error) {
	if p := pick(ce, d, query); p != nil {
		return p, nil
	}
	return nil, errAnswered
}

// nameAndLast splits "<name...> <last>" (prefer, unlink): the last word and the name before it.
func nameAndLast(raw string) (name, last string, ok bool) {
	args := splitArgs(raw)
	if len(args) < 2 {
		return "", "", false
	}
	return strings.Join(args[:len(args)-1], " "), args[len(args)-1], true
}

func (c *Connector) cmdLink(ce *commands.Event) {
	args := splitArgs(ce.RawArgs)
	if len(args) != 2 {
		ce.Reply("Usage: `$cmdprefix link <name> <name>`: quote a name with spaces (`\"Bob Marley\"`) or use the #numbers from `$cmdprefix people`")
		return
	}
	c.change(ce, func(d *directory.Directory) (string, error) {
		a, err := pickOrAnswer(ce, d, args[0])
		if err != nil {
			return "", err
		}
		b, err := pickOrAnswer(ce, d, args[1])
		if err != nil {
			return "", err
		}
		bName := label(b)
		if err = d.Link(a, b); err != nil {
			return "", err
		}
		return fmt.Sprintf("Linked %s into %s: %s.", bName, label(a), networksOf(a)), nil
	})
}

func (c *Connector) cmdUnlink(ce *commands.Event) {
	name, network, ok := nameAndLast(ce.RawArgs)
	if !ok {
		ce.Reply("Usage: `$cmdprefix unlink <name> <network>`")
		return
	}
	c.change(ce, func(d *directory.Directory) (string, error) {
		p, err := pickOrAnswer(ce, d, name)
		if err != nil {
			return "", err
		}
		np, err := d.Unlink(p, network)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is now %s on its own; %s stays on %s.", network, label(np), label(p), networksOf(p)), nil
	})
}

func (c *Connector) cmdRename(ce *commands.Event) {
	args := splitArgs(ce.RawArgs)
	if len(args) < 2 {
		ce.Reply("Usage: `$cmdprefix rename <name> <new name>`: quote a name with spaces, or use its #number")
		return
	}
	c.change(ce, func(d *directory.Directory) (string, error) {
		p, err := pickOrAnswer(ce, d, args[0])
		if err != nil {
			return "", err
		}
		old := label(p)
		if err = d.Rename(p, strings.Join(args[1:], " ")); err != nil {
			return "", err
		}
		return fmt.Sprintf("Renamed %s to %s.", old, label(p)), nil
	})
}

func (c *Connector) cmdPrefer(ce *commands.Event) {
	name, network, ok := nameAndLast(ce.RawArgs)
	if !ok {
		ce.Reply("Usage: `$cmdprefix prefer <name> <network>`")
		return
	}
	c.change(ce, func(d *directory.Directory) (string, error) {
		p, err := pickOrAnswer(ce, d, name)
		if err != nil {
			return "", err
		}
		if err = d.Prefer(p, network); err != nil {
			return "", fmt.Errorf("%s is on %s only: %w", p.Name, strings.Join(p.Networks(), ", "), directory.ErrNotOnNetwork)
		}
		return fmt.Sprintf("%s is now reached on %s.", label(p), p.Preferred), nil
	})
}

func (c *Connector) cmdForget(ce *commands.Event) {
	query := strings.Trim(strings.TrimSpace(ce.RawArgs), `"`)
	if query == "" {
		ce.Reply("Usage: `$cmdprefix forget <name>`")
		return
	}
	c.change(ce, func(d *directory.Directory) (string, error) {
		p, err := pickOrAnswer(ce, d, query)
		if err != nil {
			return "", err
		}
		d.Forget(p)
		return fmt.Sprintf("Forgot %s and %d %s: the hub keeps nothing of them. A contact still in a contact list comes back as a new person on the next `$cmdprefix sync`.",
			label(p), len(p.Contacts), plural(len(p.Contacts), "contact", "contacts")), nil
	})
}
