package connector

import (
	"fmt"
	"strings"

	"maunium.net/go/mautrix/format"

	"github.com/mxbridges/mxbridges/bridges/people/directory"
	"github.com/mxbridges/mxbridges/bridges/people/provision"
)

// label names a person in answers: "**Bob** (#3)".
func label(p *directory.Person) string {
	return fmt.Sprintf("**%s** (#%d)", format.EscapeMarkdown(p.Name), p.ID)
}

// networksOf lists a person's networks, the preferred one marked.
func networksOf(p *directory.Person) string {
	nets := p.Networks()
	for i, n := range nets {
		if n == p.Preferred {
			nets[i] = n + " (preferred)"
		}
	}
	return strings.Join(nets, ", ")
}

// pageSize is how many people one answer lists, and maxSuggestions how many suggested links:
// a Matrix event holds at most 64 KiB, and the answer's HTML doubles its text.
const (
	pageSize       = 100
	maxSuggestions = 20
)

// listPeople is the answer of `people`: one page of the people (page counts from 1) with
// their networks, then the suggestions. A page past the last shows the last.
func listPeople(d *directory.Directory, page int) string {
	people := d.Sorted()
	if len(people) == 0 {
		return "You have no people yet: none of the bridges listed a contact of yours. Log in to a bridge, then `$cmdprefix sync`."
	}
	pages := (len(people) + pageSize - 1) / pageSize
	page = min(max(page, 1), pages)
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", len(people), plural(len(people), "person", "people"))
	if pages > 1 {
		fmt.Fprintf(&b, " (page %d of %d", page, pages)
		if page < pages {
			fmt.Fprintf(&b, "; `$cmdprefix people %d` for the next", page+1)
		}
		b.WriteString(")")
	}
	b.WriteString(":\n\n")
	for _, p := range people[(page-1)*pageSize : min(page*pageSize, len(people))] {
		fmt.Fprintf(&b, "* %s: %s\n", label(p), networksOf(p))
	}
	if s := d.Suggestions(); len(s) > 0 {
		b.WriteString("\nMaybe the same person (confirm with `link`):\n\n")
		for _, sg := range s[:min(len(s), maxSuggestions)] {
			fmt.Fprintf(&b, "* %s and %s: %s, `link #%d #%d`\n", label(sg.A), label(sg.B), sg.Reason, sg.A.ID, sg.B.ID)
		}
		if len(s) > maxSuggestions {
			fmt.Fprintf(&b, "\n…and %d more; they come up as you link these.\n", len(s)-maxSuggestions)
		}
	}
	return b.String()
}

// showPerson is the answer of `person`.
func showPerson(p *directory.Person) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", label(p))
	if p.Preferred != "" {
		fmt.Fprintf(&b, ", reached on %s", p.Preferred)
	}
	b.WriteString("\n\n")
	for _, c := range p.Contacts {
		fmt.Fprintf(&b, "* %s: %s", c.Network, format.EscapeMarkdown(firstOf(c.Name, c.Username, c.ID)))
		var details []string
		if c.Phone != "" {
			details = append(details, c.Phone)
		}
		if c.Username != "" {
			details = append(details, "@"+format.EscapeMarkdown(c.Username))
		}
		if c.MXID != "" {
			details = append(details, format.SafeMarkdownCode(c.MXID))
		}
		if len(details) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// failures words the bridges that could not answer, one line each, naming them.
func failures(errs []*provision.Error) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "* %s: %s\n", e.Network, e.Explain())
	}
	return b.String()
}

// notFound is the answer for a name that matches nobody.
func notFound(query string) string {
	return fmt.Sprintf("Nobody called “%s” among your people. `$cmdprefix people` lists them; `$cmdprefix sync` reads the contact lists again.", format.EscapeMarkdown(query))
}

// ambiguous is the answer for a name that matches several people: it lists them.
func ambiguous(query string, matches []*directory.Person) string {
	var b strings.Builder
	fmt.Fprintf(&b, "“%s” could be %d people; say which with their number:\n\n", format.EscapeMarkdown(query), len(matches))
	for _, p := range matches {
		fmt.Fprintf(&b, "* %s: %s\n", label(p), networksOf(p))
	}
	return b.String()
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
