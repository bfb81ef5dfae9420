package doccheck

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// ShellLang is the info string of the fenced blocks that hold commands.
const ShellLang = "sh"

// OtherShellLangs are info strings that would also mean commands; the docs use ShellLang only,
// so that every command is found.
var OtherShellLangs = []string{"bash", "console", "shell", "shell-session", "zsh"}

// Block is one fenced code block of a Markdown file.
type Block struct {
	// File is the Markdown file's path as given to [Blocks].
	File string
	// Line is the line number of the opening fence.
	Line int
	// Lang is the fence's info string ("sh", "yaml", "" ...).
	Lang string
	// Text is the block's content, without the fences.
	Text string
	// Section is the heading (of any level) the block is under, "" before the first.
	Section string
}

// Blocks reads the fenced code blocks of a Markdown file, in order. An unclosed fence is an error.
func Blocks(path string) ([]Block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	var (
		blocks  []Block
		cur     *Block
		lines   []string
		section string
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(line, "#"):
			section = strings.TrimSpace(strings.TrimLeft(line, "#"))
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &Block{File: path, Line: n, Lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), Section: section}
			lines = nil
		case cur != nil && trimmed == "```":
			cur.Text = strings.Join(lines, "\n")
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			lines = append(lines, line)
		}
	}
	if err = sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if cur != nil {
		return nil, fmt.Errorf("read %s: the fence at line %d is not closed", path, cur.Line)
	}
	return blocks, nil
}

// Command is one command of a shell block, or a comment line on its own (a step by hand).
type Command struct {
	// Line is the line of the block (1-based) where the command starts.
	Line int
	// Text is the command with continuation lines joined, its trailing comment cut and runs of
	// blanks collapsed to one; for a step, the comment's text after "# ".
	Text string
	// Step is true for a comment line on its own.
	Step bool
}

// Commands splits a shell block into its commands and steps.
func Commands(text string) []Command {
	var (
		cmds  []Command
		cur   []string
		start int
	)
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if len(cur) == 0 {
			if trimmed == "" {
				continue
			}
			if strings.HasPrefix(trimmed, "#") {
				cmds = append(cmds, Command{Line: i + 1, Text: strings.TrimSpace(strings.TrimPrefix(trimmed, "#")), Step: true})
				continue
			}
			start = i + 1
		}
		code := cutComment(trimmed)
		if cont, ok := strings.CutSuffix(code, "\\"); ok {
			cur = append(cur, cont)
			continue
		}
		cur = append(cur, code)
		cmds = append(cmds, Command{Line: start, Text: strings.Join(strings.Fields(strings.Join(cur, " ")), " ")})
		cur = nil
	}
	if len(cur) > 0 {
		cmds = append(cmds, Command{Line: start, Text: strings.Join(strings.Fields(strings.Join(cur, " ")), " ")})
	}
	return cmds
}

// cutComment removes a trailing comment: a # after a blank, outside quotes.
func cutComment(line string) string {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return strings.TrimSpace(line[:i])
		}
		prev = r
	}
	return strings.TrimSpace(line)
}
