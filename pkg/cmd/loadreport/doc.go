// Command loadreport prints the end of `make bench` and `make chaos`: it reads the results the
// bench and chaos tests wrote (one JSON file per bridge or scenario) and prints one table per
// bridge and, as the very last line, the summary line the issues ask for.
//
//	loadreport bench DIR   tables, then "bench: latency_ratio_p50=… startup_s=…"
//	loadreport chaos DIR   one line per scenario, then "chaos: sent=… duplicated=…"
//
// It exits 1 when DIR holds no result (the tests did not run) and, for chaos, when any
// message was lost or duplicated.
package main
