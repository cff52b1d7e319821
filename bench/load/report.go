package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/bench"
	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/server"
)

// Markers around this check's section of bench/RESULTS.md; everything
// outside them is left as it is.
const (
	sectionBegin = "<!-- load-check:begin -->"
	sectionEnd   = "<!-- load-check:end -->"
)

// Targets the check reports against. They are printed beside the figures
// and never asserted on wall-clock figures in tests.
const (
	targetCachedThroughput = 5000                  // complete answers per second, at least
	targetCachedP99        = 20 * time.Millisecond // at most
	targetBurstGoroutines  = 5000                  // peak, below
	targetBurstRSS         = 256 << 20             // peak bytes, below
)

// Report is one run of the load check.
type Report struct {
	Config  Config
	Machine bench.Machine
	Date    time.Time
	Elapsed time.Duration // the whole check, set-up included
	Results []Result
	LoadAvg string // /proc/loadavg's 1-minute average at the start; "" when unknown
	// Changed lists the service settings that differ from serve's
	// defaults (app.Diff).
	Changed []app.Change
}

// Problems lists what makes the check fail (Result.Problem), empty when
// it passes.
func (r Report) Problems() []string {
	var out []string
	for _, res := range r.Results {
		if p := res.Problem(); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Command is the command line that reproduces the report's figures.
func (c Config) Command() string {
	cmd := fmt.Sprintf("go run ./bench/load -clients %d -tenants %d -duration %s -burst %d -spaces %d -pages %d -latency %s",
		c.Clients, c.Tenants, c.Duration, c.Burst, c.Spaces, c.PagesPerSpace, c.Latency)
	if !c.Baselines {
		cmd += " -baselines=false"
	} else if !c.Mesh {
		cmd += " -mesh=false"
	}
	return cmd
}

// Markdown renders the section, markers included.
func (r Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	c := r.Config
	p("%s\n## Load check (`make load`)\n\n", sectionBegin)
	p("Every figure below comes from one run of\n\n    %s\n\n", c.Command())
	p("(the defaults of `go run ./bench/load` and `make load`), measured %s on %s (%d logical CPUs), %s %s/%s, in %s.",
		r.Date.Format("2006-01-02 15:04 UTC"), r.Machine.CPU, r.Machine.Cores, r.Machine.GoVersion, r.Machine.OS, r.Machine.Arch,
		bench.FormatDuration(r.Elapsed.Round(time.Second)))
	if r.LoadAvg != "" {
		p(" The machine's 1-minute load average was %s when the check started (other work shares these CPUs).", r.LoadAvg)
	}
	p("\n\nThe service as `serve` runs it, built by `app.New` from serve's defaults: SQLite store, local master key, "+
		"settings service, cross-request cache, each tenant's Confluence client with its adaptive rate "+
		"(starting at %d requests/s, bursts of %d) and per-tenant admission control "+
		"(%d operations in flight, %s queue wait, then HTTP 429 RATE_LIMITED). "+
		"The simulator runs in the same process (bench dataset, %d spaces × %d pages, %s added latency); "+
		"clients send over loopback HTTP/1.1, each on one keep-alive connection of its own with its request written as bytes (as wrk does, so that the clients take little of the CPU they share with the service), with reader keys of tenants connected through `settings.Service.Connect`.\n\n",
		confluence.DefaultRateLimit, confluence.DefaultRateBurst,
		server.DefaultMaxTenantOperations, server.DefaultTenantQueueWait, c.Spaces, c.PagesPerSpace, c.Latency)
	r.writeRuns(p)
	r.writeTargets(p)
	p("Settings that differ from `serve`'s defaults:\n\n")
	for _, ch := range r.Changed {
		p("- `%s`\n", ch)
	}
	if len(r.Changed) == 0 {
		p("- none\n")
	}
	p("%s\n", sectionEnd)
	return b.String()
}

// meshRunText describes the GraphQL Mesh row, "" when the check has none.
func meshRunText(c Config) string {
	if !c.Baselines || !c.Mesh {
		return ""
	}
	return "The **" + modeMesh + "** row answers it through an off-the-shelf GraphQL layer over the REST API: " +
		bench.MeshDescription + ". Its gateway is a node child process, started before the run: its memory and " +
		"threads are not in the peak columns. "
}

func (r Report) writeRuns(p func(string, ...any)) {
	c := r.Config
	p("Runs: **cached** and **nested** have %d clients spread over %d tenants, each sending its next request when "+
		"the last is answered, for %s after one unmeasured request per tenant (which fills the cache). The **naive** rows answer the same nested query as a "+
		"tool-calling agent would, one REST call per node (`bench.Naive`) straight to the simulator, with no rate limit "+
		"(Confluence would throttle them), one call after another (serial) or each as soon as what it needs has "+
		"arrived (parallel, at most %d connections); same clients, same time, no warm-up. %s**burst**: %d clients "+
		"of one tenant that has sent nothing before send one nested query each, all at once.\n\n",
		c.Clients, c.Tenants, c.Duration, naiveConns, meshRunText(c), c.Burst)
	p("| run | answered by | clients | requests | complete | refused | timed out | other | complete/s | p50 | p99 | upstream calls / request | peak goroutines (at start) | peak RSS |\n")
	p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, res := range r.Results {
		p("| %s | %s | %d | %d | %d | %d | %d | %d | %.0f | %s | %s | %.1f | %d (%d) | %s |\n",
			res.Name, res.Mode, res.Clients, res.Total(), res.Complete, res.Refused, res.TimedOut, res.Failed,
			res.Throughput(), fmtLatency(res.P50), fmtLatency(res.P99), res.UpstreamPerRequest(),
			res.Goroutines, res.StartGoroutines, fmtBytes(res.RSS))
	}
	p("\n*complete/s*: complete answers per second of the measured time; *p50*, *p99*: latency of the complete answers "+
		"(nearest rank); *upstream calls / request*: requests the simulator counted, divided by the requests sent; "+
		"*peak goroutines* (sampled every %s; in brackets when the run started) and *peak RSS* (VmHWM, reset when the run "+
		"starts): the whole process, so service, simulator and clients together (each client connection adds about three "+
		"goroutines). "+
		"*refused*: RATE_LIMITED (HTTP 429 from admission control, or the client's own limiter); *timed out*: "+
		"UPSTREAM_TIMEOUT, or no answer within %s; *other*: any other error.\n\n", sampleEvery, requestTimeout)
	for _, res := range r.Results {
		if res.Name == "nested" && res.Mode == modeAPI && res.Elapsed > 0 {
			p("The %s run sent %.0f upstream calls/s over its %d tenants, whose Confluence clients allow %d/s each "+
				"to start with; a request whose calls would wait longer than the client's queue bound (%s) is refused "+
				"with RATE_LIMITED.\n\n", res.Name, float64(res.Upstream)/res.Elapsed.Seconds(), res.Tenants,
				confluence.DefaultRateLimit, confluence.DefaultMaxQueueWait)
		}
		if res.Burst {
			p("The burst (%s) took %s from the first request sent to the last answer.\n\n", res.Title, bench.FormatDuration(res.Elapsed))
		}
	}
	for _, res := range r.Results {
		if res.Refused > 0 {
			p("- %s (%s): %d refused, the slowest refusal after %s; first: %q\n", res.Name, res.Mode, res.Refused,
				bench.FormatDuration(res.SlowestRefusal), res.FirstRefused)
		}
	}
	p("\n")
}

func (r Report) writeTargets(p func(string, ...any)) {
	var rows [][3]string
	row := func(target, figure string, ok bool) {
		mark := "FAIL"
		if ok {
			mark = "PASS"
		}
		rows = append(rows, [3]string{target, figure, mark})
	}
	for _, res := range r.Results {
		switch {
		case res.Name == "cached":
			row(fmt.Sprintf("cached: at least %d complete answers/s", targetCachedThroughput),
				fmt.Sprintf("%.0f/s", res.Throughput()), res.Throughput() >= targetCachedThroughput)
			row("cached: p99 at most "+bench.FormatDuration(targetCachedP99), fmtLatency(res.P99),
				res.Complete > 0 && res.P99 <= targetCachedP99)
		case res.Name == "burst":
			row("burst: no answer timed out", fmt.Sprint(res.TimedOut), res.TimedOut == 0)
			row("burst: no other error", fmt.Sprint(res.Failed), res.Failed == 0)
			row(fmt.Sprintf("burst: peak goroutines below %d", targetBurstGoroutines), fmt.Sprint(res.Goroutines),
				res.Goroutines < targetBurstGoroutines)
			row("burst: peak RSS below "+fmtBytes(targetBurstRSS), fmtBytes(res.RSS), res.RSS > 0 && res.RSS < targetBurstRSS)
		}
	}
	if len(rows) == 0 {
		return
	}
	p("| target | figure | |\n|---|---:|---|\n")
	for _, rw := range rows {
		p("| %s | %s | %s |\n", rw[0], rw[1], rw[2])
	}
	p("\n")
}

// fmtLatency is bench.FormatDuration, "–" for no measurement.
func fmtLatency(d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return bench.FormatDuration(d)
}

func fmtBytes(n int64) string {
	if n <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

// loadAverage returns the 1-minute load average from /proc/loadavg, "" when
// unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return ""
}
