// Command load is the load check of confluence-graph: it builds the
// service with app.New from serve's defaults (SQLite, local master key,
// the Confluence client's adaptive rate, per-tenant admission control),
// starts the simulator in process and connects tenants through the
// settings service, then runs concurrent clients over loopback against
// /graphql:
//
//   - cached: `space(key){name}`, which the cross-request cache answers;
//   - nested: the read API's nested query (internal/testquery), and the
//     same query answered by the naive agents of bench (one REST call per
//     node, serial and parallel) as baselines;
//   - burst: 200 nested queries of one tenant sent at once.
//
// For each run it reports throughput, p50/p99 latency, upstream calls per
// request, peak goroutines, peak RSS and how many answers were complete,
// refused (RATE_LIMITED), timed out or failed otherwise, with the targets
// beside them. It prints every service setting that differs from serve's
// defaults, replaces its own section of bench/RESULTS.md (leaving the rest
// of the file alone), and exits 1 when a request timed out or failed (a
// RATE_LIMITED refusal is counted, not a failure) or a run answered none
// completely.
//
//	go run ./bench/load                       # defaults, about a minute
//	go run ./bench/load -clients 64 -duration 20s -results ""   # print only
//
// Everything listens on 127.0.0.1 only. Client counts and durations are
// bounded (at most 512 clients and 2 minutes per run).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
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
	began := time.Now()
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	fs.IntVar(&cfg.Clients, "clients", 50, "concurrent clients of the cached, nested and baseline runs (1.."+fmt.Sprint(maxClients)+")")
	fs.DurationVar(&cfg.Duration, "duration", 6*time.Second, "measured time of each of those runs (at most 2m)")
	fs.IntVar(&cfg.Tenants, "tenants", 4, "tenants the clients are spread over (each connected to the simulator)")
	fs.IntVar(&cfg.Burst, "burst", 200, "nested queries one tenant sends at once in the burst run (0 skips it; at most "+fmt.Sprint(maxClients)+")")
	fs.BoolVar(&cfg.Baselines, "baselines", true, "also run the naive agents (serial, parallel) on the nested query")
	fs.BoolVar(&cfg.Mesh, "mesh", true, "with -baselines, also run the GraphQL Mesh gateway on the nested query (needs npm ci --prefix bench/mesh)")
	fs.IntVar(&cfg.Spaces, "spaces", 2, "bench dataset: spaces")
	fs.IntVar(&cfg.PagesPerSpace, "pages", 300, "bench dataset: pages per space")
	fs.DurationVar(&cfg.Latency, "latency", 0, "latency the simulator adds to every upstream request")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured runs (the whole process) to this file")
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
	if cfg.Burst < 0 || cfg.Burst > maxClients {
		return fmt.Errorf("-burst must be 0..%d", maxClients)
	}

	if cfg.Baselines && cfg.Mesh {
		if _, _, err := bench.MeshInstalled(); err != nil {
			return fmt.Errorf("%w (install it with npm ci --prefix bench/mesh, as make load does, or leave its run out with -mesh=false)", err)
		}
	}

	load := loadAverage()
	st, err := startStack(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	rep := Report{Config: cfg, Machine: bench.ThisMachine(), Date: time.Now().UTC(), LoadAvg: load, Changed: st.changed}
	fmt.Fprintln(stderr, "load: settings that differ from serve's defaults:")
	for _, ch := range st.changed {
		fmt.Fprintf(stderr, "load:   %s\n", ch)
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	for _, s := range st.runs(cfg) {
		fmt.Fprintf(stderr, "load: %s (%s), %d clients...\n", s.Name, s.Mode, s.Clients)
		r, err := st.measure(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "load:   %d complete, %d refused, %d timed out, %d other; %.0f complete/s; %d goroutines, %s RSS at peak\n",
			r.Complete, r.Refused, r.TimedOut, r.Failed, r.Throughput(), r.Goroutines, fmtBytes(r.RSS))
		rep.Results = append(rep.Results, r)
	}
	rep.Elapsed = time.Since(began)

	md := rep.Markdown()
	fmt.Fprint(stdout, md)
	if *results != "" {
		if err := bench.WriteSection(*results, sectionBegin, sectionEnd, md); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "load: wrote %s\n", *results)
	}
	if ps := rep.Problems(); len(ps) > 0 {
		return fmt.Errorf("check failed: %s", strings.Join(ps, "; "))
	}
	return nil
}

// startCPUProfile profiles the process's CPU into path until stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
