// Command load is the load check of confluence-graph: it builds the
// service with app.New from serve's defaults (SQLite, local master key,
// the Confluence client's rate limits), starts the simulator in process and
// connects tenants through the settings service,
// then runs many concurrent clients over loopback against /graphql for a
// query the cross-request cache answers and for the nested query of the
// read API, and reports throughput, p50/p99 latency, peak memory, upstream
// calls per request and the error count (which must be 0).
//
// It prints every service setting that differs from serve's defaults (to
// stderr and in the report), appends (or replaces) its own section of
// bench/RESULTS.md, leaving the rest of the file alone, and exits 1 when
// any request failed.
//
//	go run ./bench/load                      # defaults: 32 clients, 10 s per query
//	go run ./bench/load -clients 64 -duration 20s -results ""   # print only
//
// Everything listens on 127.0.0.1 only. Client count and duration are
// bounded (at most 512 clients and 2 minutes per query).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
)

// Bounds of the flags: the check must stay a check, not a stress tool.
const (
	maxClients  = 512
	maxDuration = 2 * time.Minute
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "load: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	fs.IntVar(&cfg.Clients, "clients", 32, "concurrent clients (1.."+fmt.Sprint(maxClients)+")")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured time per query (at most 2m)")
	fs.DurationVar(&cfg.Warmup, "warmup", time.Second, "unmeasured time per query before measuring")
	fs.IntVar(&cfg.Tenants, "tenants", 4, "tenants the clients are spread over (each connected to the simulator)")
	fs.IntVar(&cfg.Spaces, "spaces", 2, "bench dataset: spaces")
	fs.IntVar(&cfg.PagesPerSpace, "pages", 300, "bench dataset: pages per space")
	fs.DurationVar(&cfg.Latency, "latency", 0, "latency the simulator adds to every upstream request")
	results := fs.String("results", "bench/RESULTS.md", "Markdown file whose load-check section is replaced (\"\" prints only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.Clients < 1 || cfg.Clients > maxClients {
		return fmt.Errorf("-clients must be 1..%d", maxClients)
	}
	if cfg.Duration <= 0 || cfg.Duration > maxDuration {
		return fmt.Errorf("-duration must be in (0, %s]", maxDuration)
	}
	if cfg.Tenants < 1 || cfg.Tenants > cfg.Clients {
		return fmt.Errorf("-tenants must be 1..clients")
	}

	load := loadAverage()
	st, err := startStack(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	rep := Report{Config: cfg, Machine: thisMachine(), Date: time.Now().UTC(), LoadAvg: load, Changed: st.changed}
	fmt.Fprintln(stderr, "load: settings that differ from serve's defaults:")
	for _, ch := range st.changed {
		fmt.Fprintf(stderr, "load:   %s\n", ch)
	}
	for _, q := range st.queries() {
		fmt.Fprintf(stderr, "load: %s: %d clients for %s...\n", q.Name, cfg.Clients, cfg.Duration)
		r, err := st.measure(ctx, q, cfg)
		if err != nil {
			return err
		}
		rep.Results = append(rep.Results, r)
	}
	rep.PeakRSS = peakRSS()
	rep.PeakGoMemory = st.mem.Peak()

	md := rep.Markdown()
	fmt.Fprint(stdout, md)
	if *results != "" {
		if err := bench.WriteSection(*results, sectionBegin, sectionEnd, md); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "load: wrote %s\n", *results)
	}
	if n := rep.Errors(); n > 0 {
		return fmt.Errorf("%d requests failed (want 0); first: %s", n, rep.FirstError())
	}
	return nil
}
