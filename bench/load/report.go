package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/bench"
)

// Markers around this check's section of bench/RESULTS.md; everything
// outside them is left as it is.
const (
	sectionBegin = "<!-- load-check:begin -->"
	sectionEnd   = "<!-- load-check:end -->"
)

// Report is one run of the load check.
type Report struct {
	Config       Config
	Machine      machine
	Date         time.Time
	Results      []Result
	PeakRSS      int64 // VmHWM of the process, bytes; 0 when unknown
	PeakGoMemory uint64
	LoadAvg      string // /proc/loadavg's 1-minute average at the start; "" when unknown
	// Changed lists the service settings that differ from serve's
	// defaults (app.Diff).
	Changed []app.Change
}

// Errors is the number of failed requests over all queries.
func (r Report) Errors() int {
	n := 0
	for _, res := range r.Results {
		n += res.Errors
	}
	return n
}

// FirstError is the first failure seen, "" when none.
func (r Report) FirstError() string {
	for _, res := range r.Results {
		if res.FirstError != "" {
			return res.Query.Name + ": " + res.FirstError
		}
	}
	return ""
}

// Markdown renders the section, markers included.
func (r Report) Markdown() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintln(&b, sectionBegin)
	fmt.Fprintln(&b, "## Load check (`go run ./bench/load`)")
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "Measured %s on %s (%d logical CPUs), %s %s/%s.\n\n",
		r.Date.Format("2006-01-02 15:04 UTC"), r.Machine.CPU, r.Machine.Cores, r.Machine.GoVersion, r.Machine.OS, r.Machine.Arch)
	if r.LoadAvg != "" {
		fmt.Fprintf(&b, "The machine's 1-minute load average was %s when the check started (other work shares these CPUs).\n\n", r.LoadAvg)
	}
	fmt.Fprintf(&b, "The service as `serve` runs it, built by `app.New` from serve's defaults (SQLite store, local master key, "+
		"settings service, loaders cache, the Confluence client's per-tenant rate limit of 20 requests/s with bursts of 50), "+
		"with the simulator in the same process, served over loopback HTTP. %d concurrent clients spread over "+
		"%d tenants, each connected through `settings.Service.Connect`; %s of warm-up, then %s measured per query. "+
		"Simulator: bench dataset, %d spaces × %d pages, %s added latency.\n\n",
		c.Clients, c.Tenants, c.Warmup, c.Duration, c.Spaces, c.PagesPerSpace, c.Latency)
	fmt.Fprintln(&b, "Settings that differ from `serve`'s defaults:")
	fmt.Fprintln(&b)
	for _, ch := range r.Changed {
		fmt.Fprintf(&b, "- `%s`\n", ch)
	}
	if len(r.Changed) == 0 {
		fmt.Fprintln(&b, "- none")
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "| query | requests | throughput | p50 | p99 | upstream calls / request | errors |")
	fmt.Fprintln(&b, "|---|---:|---:|---:|---:|---:|---:|")
	for _, res := range r.Results {
		fmt.Fprintf(&b, "| %s: %s | %d | %.0f req/s | %s | %s | %.2f | %d |\n", res.Query.Name, res.Query.Title,
			res.Requests, res.Throughput(), bench.FormatDuration(res.P50), bench.FormatDuration(res.P99), res.UpstreamPerQ, res.Errors)
	}
	fmt.Fprintln(&b)
	rss := "unknown"
	if r.PeakRSS > 0 {
		rss = fmtBytes(uint64(r.PeakRSS))
	}
	fmt.Fprintf(&b, "Peak memory of the whole process (server, simulator and clients): %s resident (VmHWM), "+
		"%s held by the Go runtime (max of `/memory/classes/total:bytes`, sampled every 50 ms).\n", rss, fmtBytes(r.PeakGoMemory))
	fmt.Fprintln(&b, sectionEnd)
	return b.String()
}

func fmtBytes(n uint64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// memSampler tracks the maximum of the Go runtime's total memory.
type memSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	once sync.Once
	done chan struct{}
}

func startMemSampler(every time.Duration) *memSampler {
	m := &memSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	read := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			v := sample[0].Value.Uint64()
			for {
				old := m.peak.Load()
				if v <= old || m.peak.CompareAndSwap(old, v) {
					break
				}
			}
		}
	}
	go func() {
		defer close(m.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			read()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// Peak returns the largest total seen so far.
func (m *memSampler) Peak() uint64 { return m.peak.Load() }

// Stop ends sampling; it is idempotent.
func (m *memSampler) Stop() {
	m.once.Do(func() { close(m.stop); <-m.done })
}

// peakRSS returns the process's peak resident set size (VmHWM) in bytes, 0
// when /proc is not available.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != "VmHWM" {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// machine describes where the check ran.
type machine struct {
	CPU       string
	Cores     int
	GoVersion string
	OS, Arch  string
}

func thisMachine() machine {
	m := machine{CPU: "unknown", Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			m.CPU = strings.TrimSpace(v)
			break
		}
	}
	return m
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
