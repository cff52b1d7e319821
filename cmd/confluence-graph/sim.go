package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func init() {
	register(command{
		name:    "sim",
		summary: "run the Confluence simulator, Cloud or Data Center (demo or bench data)",
		run:     runSim,
	})
}

// runSim starts the simulator, prints its banner (base url, cloud id,
// accounts) and serves until ctx is cancelled.
func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address (host:port; port 0 picks a free one)")
	dataset := fs.String("dataset", "demo", "dataset to load: demo, bench or empty")
	pages := fs.Int("pages", 0, "bench: pages per space (default 1000)")
	spaces := fs.Int("spaces", 0, "bench: number of spaces (default 10)")
	seed := fs.Int64("seed", 42, "bench generator and fault/jitter seed")
	latency := fs.Duration("latency", 0, "added latency per request, e.g. 50ms")
	jitter := fs.Duration("jitter", 0, "random extra latency in [0, jitter)")
	rateLimit := fs.Float64("rate-limit", 0, "per-account requests per second before 429 (0 = unlimited)")
	burst := fs.Int("burst", 0, "rate-limit bucket size (default: the rate, at least 1)")
	flavor := fs.String("flavor", "cloud", "deployment to imitate: cloud or datacenter (v1 at the context path, PATs as Bearer)")
	contextPath := fs.String("context-path", confluencetest.DefaultContextPath, "datacenter: the context path the instance serves at")
	faultRate := fs.Float64("fault-rate", 0, "fraction of requests failed at random (502/503/reset/hang), 0..1")
	if err := parseArgs(fs, args, "sim", stderr); err != nil {
		return helpIsNoError(err)
	}
	switch *dataset {
	case "demo", "bench", "empty", "":
	default:
		fmt.Fprintf(stderr, "sim: unknown dataset %q (want demo, bench or empty)\n", *dataset)
		return errUsage
	}
	if *dataset == "empty" {
		*dataset = ""
	}
	s, err := confluencetest.Start(*addr,
		confluencetest.WithDataset(*dataset),
		confluencetest.WithBenchSize(*spaces, *pages),
		confluencetest.WithSeed(*seed),
		confluencetest.WithLatency(*latency, *jitter),
		confluencetest.WithFlavor(*flavor),
		confluencetest.WithContextPath(*contextPath),
	)
	if err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	defer s.Close()
	s.SetRateLimit(*rateLimit, *burst)
	s.SetFaultRate(*faultRate)
	if err := s.WriteBanner(stdout); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	<-ctx.Done()
	return nil
}
