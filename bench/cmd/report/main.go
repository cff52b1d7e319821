// Command report measures the benchmark queries in every mode against the Confluence
// simulator (run in a child process) and writes its section of bench/RESULTS.md.
//
//	go run ./bench/cmd/report [-out bench/RESULTS.md] [-spaces 10] [-pages 1000] [-queries nested,diff]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/confluence-graph/confluence-graph/bench"
)

func main() {
	bench.RunChildSimIfRequested()
	out := flag.String("out", "bench/RESULTS.md", "Markdown file whose benchmark section is replaced")
	spaces := flag.Int("spaces", 10, "bench dataset: spaces")
	pages := flag.Int("pages", 1000, "bench dataset: pages per space")
	only := flag.String("queries", "", "comma-separated query names (default all)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *out, bench.SimSize{Spaces: *spaces, PagesPerSpace: *pages}, *only); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string, size bench.SimSize, only string) error {
	var qs []*bench.Query
	for _, name := range strings.FieldsFunc(only, func(r rune) bool { return r == ',' }) {
		q := bench.QueryByName(strings.TrimSpace(name))
		if q == nil {
			return fmt.Errorf("unknown query %q", name)
		}
		qs = append(qs, q)
	}
	sim, err := bench.StartChildSim(size)
	if err != nil {
		return err
	}
	defer sim.Close()
	h, err := bench.NewHarness(ctx, sim)
	if err != nil {
		return err
	}
	defer h.Close()
	r, runErr := bench.RunAll(ctx, h, bench.RunConfig{Queries: qs, Fields: len(qs) == 0, Progress: os.Stderr})
	if ctx.Err() != nil {
		return ctx.Err() // interrupted: leave the file as it was
	}
	r.Size = size
	if err := bench.WriteResults(out, r); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "report: wrote %s in %v\n", out, r.Elapsed)
	return runErr // failing cells are in the file, and make the command fail
}
