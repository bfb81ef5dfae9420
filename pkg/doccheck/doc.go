// Package doccheck finds the shell commands the suite's documentation shows, so that a test can
// run every one of them as written (TestDocs, behind the integration build tag): fenced code
// blocks marked ```sh hold commands, one a line, `\` continuing a line and `#` starting a
// comment. A comment line on its own in such a block is a step the reader does by hand ("edit
// config.yaml: ..."), which the test performs too.
package doccheck
