package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
)

// RunConfig says what RunAll measures.
type RunConfig struct {
	Queries   []*Query        // nil means Queries()
	Modes     []Mode          // nil means Modes()
	Latencies []time.Duration // nil means 0 and 50 ms
	// PlanFor returns the plan of one cell; nil means DefaultPlan.
	PlanFor func(m Mode, latency time.Duration) Plan
	// Fields also measures the nested query's fields one by one (api-unlimited, at the highest
	// latency).
	Fields bool
	// Progress receives one line per measured cell; nil discards them.
	Progress io.Writer
}

// DefaultPlan bounds a cell so that the whole report takes a few minutes: without latency up to
// 30 runs within 2 s (at least 3); with latency at least 3 runs (a sequential naive run of the
// nested query is hundreds of round trips) and up to 10 within 3 s.
func DefaultPlan(_ Mode, latency time.Duration) Plan {
	if latency == 0 {
		return Plan{MinRuns: 3, MaxRuns: 30, Budget: 2 * time.Second}
	}
	return Plan{MinRuns: 3, MaxRuns: 10, Budget: 3 * time.Second}
}

// RunAll measures every configured cell on h and returns the report (Size is left for the caller
// to fill in). A query is measured only in the modes it supports (Query.Supports). A cell that
// fails is kept in the report with its error and the others are still measured; the returned
// error joins the failures. A Mesh cell whose baseline is not installed is kept as not run and
// is no failure, except under CI=true (MeshMissingIsSkip). When ctx ends, RunAll returns at once with a
// partial report and ctx's error.
func RunAll(ctx context.Context, h *Harness, cfg RunConfig) (*Report, error) {
	if cfg.Queries == nil {
		cfg.Queries = Queries()
	}
	if cfg.Modes == nil {
		cfg.Modes = Modes()
	}
	if cfg.Latencies == nil {
		cfg.Latencies = []time.Duration{0, 50 * time.Millisecond}
	}
	if cfg.PlanFor == nil {
		cfg.PlanFor = DefaultPlan
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	began := time.Now()
	r := &Report{Machine: ThisMachine(), Date: began, Targets: h.Targets, Queries: cfg.Queries,
		Settings: map[Mode][]app.Change{ModeAPI: h.api.Changed, ModeAPIUnlimited: h.apiUnlimited.Changed}}
	var errs []error
	for _, lat := range cfg.Latencies {
		for _, q := range cfg.Queries {
			for _, m := range cfg.Modes {
				if !q.Supports(m) {
					continue
				}
				c, err := h.Measure(ctx, q, m, lat, cfg.PlanFor(m, lat))
				if err != nil {
					if ctx.Err() != nil {
						return r, err
					}
					if MeshMissingIsSkip(err) { // reported as not installed; under CI=true a failure
						c = Cell{Query: q.Name, Mode: m, Latency: lat, NotRun: err.Error()}
						fmt.Fprintf(cfg.Progress, "%-9s %-14s %5v not installed: %v\n", q.Name, m, lat, err)
						r.Cells = append(r.Cells, c)
						continue
					}
					// A failing cell is reported as such; the other cells still say something.
					c = Cell{Query: q.Name, Mode: m, Latency: lat, Err: err.Error()}
					errs = append(errs, err)
					fmt.Fprintf(cfg.Progress, "%-9s %-14s %5v error: %v\n", q.Name, m, lat, err)
				} else {
					fmt.Fprintf(cfg.Progress, "%-9s %-14s %5v runs=%-3d calls=%-4d chain=%-4d p50=%v\n",
						q.Name, m, lat, c.Runs, c.Calls, c.Chain, c.P50.Round(10*time.Microsecond))
				}
				r.Cells = append(r.Cells, c)
			}
		}
	}
	if cfg.Fields {
		lat := slices.Max(cfg.Latencies)
		fs, err := h.MeasureFields(ctx, ModeAPIUnlimited, lat, Plan{MinRuns: 3, MaxRuns: 5, Budget: 2 * time.Second})
		if err != nil {
			errs = append(errs, err)
		}
		r.Fields = fs
		for _, f := range fs {
			fmt.Fprintf(cfg.Progress, "field %-60q calls=%-4d chain=%d\n", f.Field, f.Cell.Calls, f.Cell.Chain)
		}
	}
	r.Elapsed = time.Since(began)
	return r, errors.Join(errs...)
}
