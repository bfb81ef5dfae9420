package connector

import (
	"fmt"
	"strings"

	"maunium.net/go/mautrix/bridgev2/commands"
	"maunium.net/go/mautrix/format"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
	"github.com/mxbridges/mxbridges/bridges/people/provision"
)

// cmdOpen opens the user's chat with a person (or a phone number) on one network, through
// that bridge's create_dm: the bridge creates the room if needed and invites the user.
func (c *Connector) cmdOpen(ce *commands.Event) {
	args := splitArgs(ce.RawArgs)
	if len(args) == 0 {
		ce.Reply("Usage: `$cmdprefix open <name> [network]` or `$cmdprefix open +<number> <network>`")
		return
	}
	network := ""
	if len(args) > 1 && c.bridge(args[len(args)-1]) != nil {
		network, args = c.bridge(args[len(args)-1]).Network, args[:len(args)-1]
	}
	query := strings.Join(args, " ")
	var identifier, who string
	if phone := directory.NormalizePhone(strings.Join(args, "")); phone != "" {
		if network == "" {
			ce.Reply("Say on which network: `$cmdprefix open %s <network>` (`$cmdprefix find %s` tells where the number is).", phone, phone)
			return
		}
		identifier, who = phone, phone
	} else {
		d, err := c.Store.Load(ce.Ctx, ce.User.MXID)
		if err != nil {
			c.internalError(ce, err)
			return
		}
		p := pick(ce, d, query)
		if p == nil {
			return
		}
		if len(p.Contacts) == 0 {
			ce.Reply("%s has no contact on any network.", label(p))
			return
		}
		if network == "" {
			network = firstOf(p.Preferred, p.Networks()[0])
		}
		ct, ok := contactOn(p, network)
		if !ok {
			ce.Reply("%s is not on %s: only on %s.", label(p), network, strings.Join(p.Networks(), ", "))
			return
		}
		identifier, who = firstOf(ct.Phone, ct.Username, ct.MXID), label(p)
	}
	b := c.bridge(network)
	cl := &provision.Client{Network: b.Network, BaseURL: b.URL, Secret: b.SharedSecret}
	resp, err := cl.CreateDM(ce.Ctx, ce.User.MXID, identifier)
	if err != nil {
		ce.Reply("Could not open the chat on %s: %s.", network, explain(err))
		return
	}
	if resp.DMRoomID == "" {
		ce.Reply("%s found %s, but gave no chat room.", network, who)
		return
	}
	ce.Reply(fmt.Sprintf("Your %s chat with %s: %s (%s invites you if you are not in it yet).", network, who,
		format.SafeMarkdownCode(resp.DMRoomID), network))
}

// bridge returns the configured bridge called name (ignoring case), or nil.
func (c *Connector) bridge(name string) *BridgeConfig {
	for i := range c.Config.Bridges {
		if strings.EqualFold(c.Config.Bridges[i].Network, name) {
			return &c.Config.Bridges[i]
		}
	}
	return nil
}

// contactOn is the person's first contact on network.
func contactOn(p *directory.Person, network string) (directory.Contact, bool) {
	for _, ct := range p.Contacts {
		if strings.EqualFold(ct.Network, network) {
			return ct, true
		}
	}
	return directory.Contact{}, false
}
