package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mxbridges/mxbridges/pkg/loadtest"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: loadreport bench|chaos DIR")
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "loadreport:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, kind, dir string) error {
	switch kind {
	case "bench":
		results, err := loadtest.ReadResults(dir)
		if err != nil {
			return err
		}
		if len(results) == 0 {
			return fmt.Errorf("no bench result in %s: did the bench tests run?", dir)
		}
		for _, r := range results {
			loadtest.WriteTable(w, r)
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, loadtest.SummaryLine(results))
		return nil
	case "chaos":
		names, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return fmt.Errorf("list chaos results: %w", err)
		}
		counts, err := loadtest.ReadCounts(dir)
		if err != nil {
			return err
		}
		if len(counts) == 0 {
			return fmt.Errorf("no chaos result in %s: did the chaos tests run?", dir)
		}
		var total loadtest.Counts
		for i, c := range counts {
			name := strings.TrimSuffix(filepath.Base(names[i]), ".json")
			fmt.Fprintf(w, "%-40s %s out_of_order=%d\n", name, strings.TrimPrefix(c.Line(), "chaos: "), c.OutOfOrder)
			total = total.Add(c)
		}
		fmt.Fprintln(w, total.Line())
		if total.Lost+total.Duplicated+total.OutOfOrder > 0 {
			return fmt.Errorf("messages were lost, duplicated or reordered")
		}
		return nil
	}
	return fmt.Errorf("unknown report %q: want bench or chaos", kind)
}
