package connector

import (
	"errors"
	"fmt"
	"strings"

	"maunium.net/go/mautrix/bridgev2/commands"
	"maunium.net/go/mautrix/format"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
	"github.com/mxbridges/mxbridges/bridges/people/provision"
)

// lookup is one bridge's answer to `find`.
type lookup struct {
	network string
	contact *provision.Contact
	err     error
}

// cmdFind resolves a phone number on every bridge at once and says where the number exists,
// where not, and which bridges could not tell.
func (c *Connector) cmdFind(ce *commands.Event) {
	phone := directory.NormalizePhone(strings.Join(strings.Fields(ce.RawArgs), ""))
	if phone == "" {
		ce.Reply("Usage: `$cmdprefix find +<country code><number>`, e.g. `$cmdprefix find +4915112345678`: an international number, starting with + or 00")
		return
	}
	if len(c.Config.Bridges) == 0 {
		ce.Reply(errNoBridges.Error())
		return
	}
	found := eachBridge(c, func(cl *provision.Client) lookup {
		contact, err := cl.Resolve(ce.Ctx, ce.User.MXID, phone)
		return lookup{network: cl.Network, contact: contact, err: err}
	})
	ce.Reply(findAnswer(phone, found, c.knownAs(ce, phone)))
}

// knownAs is the person of the user's who has this number, or nil.
func (c *Connector) knownAs(ce *commands.Event, phone string) *directory.Person {
	d, err := c.Store.Load(ce.Ctx, ce.User.MXID)
	if err != nil {
		ce.Log.Err(err).Msg("Could not load people for find")
		return nil
	}
	for _, p := range d.People {
		for _, ct := range p.Contacts {
			if ct.Phone == phone {
				return p
			}
		}
	}
	return nil
}

func findAnswer(phone string, found []lookup, known *directory.Person) string {
	var on, off, failed, out []string
	for _, l := range found {
		pe, _ := errors.AsType[*provision.Error](l.err)
		switch {
		case pe != nil && pe.Kind == provision.NotLoggedIn:
			out = append(out, l.network)
		case l.err != nil:
			failed = append(failed, fmt.Sprintf("* %s: %s", l.network, explain(l.err)))
		case l.contact == nil:
			off = append(off, l.network)
		default:
			line := fmt.Sprintf("* %s: %s", l.network, format.EscapeMarkdown(firstOf(l.contact.Name, string(l.contact.ID))))
			if l.contact.MXID != "" {
				line += " " + format.SafeMarkdownCode(l.contact.MXID)
			}
			if l.contact.DMRoomID != "" {
				line += ", your chat: " + format.SafeMarkdownCode(l.contact.DMRoomID)
			}
			on = append(on, line)
		}
	}
	var b strings.Builder
	if len(on) > 0 {
		fmt.Fprintf(&b, "%s is on %d %s:\n\n%s\n\n", phone, len(on), plural(len(on), "network", "networks"), strings.Join(on, "\n"))
		b.WriteString("Open the chat with `$cmdprefix open " + phone + " <network>`.\n\n")
	} else {
		fmt.Fprintf(&b, "%s is on none of the networks that answered.\n\n", phone)
	}
	if len(off) > 0 {
		fmt.Fprintf(&b, "Not on: %s.\n\n", strings.Join(off, ", "))
	}
	if len(out) > 0 {
		fmt.Fprintf(&b, "Not asked (you are not logged in there): %s.\n\n", strings.Join(out, ", "))
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "Could not ask:\n\n%s\n\n", strings.Join(failed, "\n"))
	}
	if known != nil {
		fmt.Fprintf(&b, "Among your people: %s, on %s.", label(known), networksOf(known))
	}
	return strings.TrimSpace(b.String())
}

// explain words any error of a bridge for the user.
func explain(err error) string {
	if pe, ok := errors.AsType[*provision.Error](err); ok {
		return pe.Explain()
	}
	return err.Error()
}
