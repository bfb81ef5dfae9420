// Package loadtest is the suite's load and failure harness: `make bench` and `make chaos` run it
// against real Synapse and PostgreSQL with every bridge on its test seam.
//
// A bridge plugs in through [Target]: it knows how to make its fake network emit a message into
// a chat and how to see what its fake network received. The harness measures the rest the same
// way for every bridge: network→Matrix latency (the fake emits, a Matrix user's /sync sees it),
// Matrix→network latency (a Matrix user sends, the fake receives), throughput over many portals,
// and compares each figure with the homeserver's own speed measured in the same run with plain
// Matrix clients ([Baseline]). Figures are printed, never asserted: these machines are noisy,
// and only ratios taken in one run mean anything.
package loadtest
