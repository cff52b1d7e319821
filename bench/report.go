package bench

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
)

// Markers delimit this package's section of RESULTS.md; everything outside them (the load
// test's section, say) is left as it is.
const (
	SectionBegin = "<!-- bench:queries:begin (written by go run ./bench/cmd/report; edits inside are overwritten) -->"
	SectionEnd   = "<!-- bench:queries:end -->"
)

// Report is one full measurement: every query in every mode at every latency.
type Report struct {
	Machine Machine
	Date    time.Time
	Size    SimSize
	Targets Targets
	Queries []*Query
	Cells   []Cell
	Fields  []FieldCost // the nested query's fields measured one by one; may be empty
	Elapsed time.Duration
	// Settings lists, per API mode, the service settings that differ from serve's defaults.
	Settings map[Mode][]app.Change
}

func (r *Report) cell(q string, m Mode, lat time.Duration) (Cell, bool) {
	for _, c := range r.Cells {
		if c.Query == q && c.Mode == m && c.Latency == lat {
			return c, true
		}
	}
	return Cell{}, false
}

func (r *Report) latencies() []time.Duration {
	var ls []time.Duration
	for _, c := range r.Cells {
		if !slices.Contains(ls, c.Latency) {
			ls = append(ls, c.Latency)
		}
	}
	slices.Sort(ls)
	return ls
}

// Markdown renders the report as this package's section of RESULTS.md, markers included.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s\n## Query benchmarks: the API against one REST call per node\n\n", SectionBegin)
	p("Measured %s UTC on %s (%d cores, %s/%s), %s. Regenerate with `go run ./bench/cmd/report` (%s this time); "+
		"Go-style numbers with `go test ./bench -run='^$' -bench=. -benchmem`.\n\n",
		r.Date.UTC().Format("2006-01-02 15:04"), r.Machine.CPU, r.Machine.Cores, r.Machine.OS, r.Machine.Arch,
		r.Machine.GoVersion, r.Elapsed.Round(time.Second))
	spaces, pages := cmp.Or(r.Size.Spaces, 10), cmp.Or(r.Size.PagesPerSpace, 1000)
	p("Simulator: bench dataset, %d spaces x %d pages, queries on space %s, in a child process (allocations below are "+
		"this process only: the API server with its loaders and client, or the naive client). Latency is added by the "+
		"simulator to every response. The API is the service as `serve` runs it (`app.New`), queried with an API key; "+
		"before each run its tenant is connected again, which empties the tenant's cross-request cache (every run is "+
		"cold) and gives it a fresh confluence client (its rate limiter starts full). The simulator evaluates a CQL query on the documents its "+
		"id, parent, ancestor or space clause admits (an index, as Confluence has) and on every document otherwise, "+
		"so the wall time of a full-text search carries CPU time that Confluence spends on a text index; calls and "+
		"critical path do not depend on it.\n\n", spaces, pages, r.Targets.SpaceKey)
	p("Modes: **api** = GraphQL over loopback HTTP with the confluence client's default per-tenant limits; "+
		"**api-unlimited** = the same with the client's rate and concurrency limits lifted (what the loaders alone "+
		"achieve); **naive-seq** = one REST call per node, one after another (a tool-calling agent); **naive-conc** = "+
		"the same calls with a goroutine per node; **mesh** (nested query only) = %s.\n\n", MeshDescription)
	for _, m := range []Mode{ModeAPI, ModeAPIUnlimited} {
		if ch, ok := r.Settings[m]; ok {
			p("Settings of **%s** that differ from `serve`'s defaults:\n\n", m)
			for _, c := range ch {
				p("- `%s`\n", c)
			}
			p("\n")
		}
	}
	p("Columns: *calls* = upstream requests the simulator counted per run (median; a range when runs differed); " +
		"*critical path* = the longest chain of upstream requests that did not overlap in time (median; meaningful " +
		"with latency); *wall/latency* = p50 wall time divided by the injected latency; *p50/p95* = nearest-rank " +
		"percentiles over the runs; *allocs* and *KiB* per run.\n\n")

	r.writeSummary(p)
	r.writeMesh(p)
	r.writeAll(p)
	r.writeEndpoints(p)
	r.writeFields(p)
	r.writeQueries(p)
	p("%s\n", SectionEnd)
	return b.String()
}

func (r *Report) writeSummary(p func(string, ...any)) {
	lat := slices.Max(r.latencies())
	p("### Summary at %v latency\n\n", lat)
	p("| query | depth | goal: critical path ≤ | api critical path | api-unlimited critical path | naive-conc critical path | " +
		"api calls | naive calls | fewer calls | floor | api p50 | api-unlimited p50 | naive-seq p50 | naive-conc p50 |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range r.Queries {
		api, _ := r.cell(q.Name, ModeAPI, lat)
		unl, _ := r.cell(q.Name, ModeAPIUnlimited, lat)
		seq, _ := r.cell(q.Name, ModeNaiveSequential, lat)
		conc, _ := r.cell(q.Name, ModeNaiveConcurrent, lat)
		goal := q.Depth + 1
		if failed := firstErr(api, unl, seq, conc); failed != "" {
			p("| %s | %d | %d | error: %s |||||||||||\n", q.Name, q.Depth, goal, oneLine(failed))
			continue
		}
		p("| %s | %d | %d | %s | %s | %d | %s | %d | %s | %s | %s | %s | %s | %s |\n", q.Name, q.Depth, goal,
			mark(api.Chain, goal), mark(unl.Chain, goal), conc.Chain, callsMark(api, q.Floor), seq.Calls,
			ratio(seq.Calls, api.Calls), floorText(q.Floor), FormatDuration(api.P50), FormatDuration(unl.P50), FormatDuration(seq.P50), FormatDuration(conc.P50))
	}
	p("\n✓ = meets the goal (critical path ≤ depth + 1; calls at the floor Confluence's endpoints allow), ✗ = misses it; " +
		"✓* = the median run is at the floor but some runs cost more (a loader batch split across two wait windows). " +
		"*fewer calls* = naive calls ÷ api calls (the goal for `nested` is at least 4x, 10x with v1 expansions).\n\n")
}

// writeMesh sets the GraphQL Mesh cells beside the API's and the concurrent naive client's of the
// same query and latency; it writes nothing when the report has no Mesh cell.
func (r *Report) writeMesh(p func(string, ...any)) {
	var mesh []Cell
	for _, c := range r.Cells {
		if c.Mode == ModeMesh {
			mesh = append(mesh, c)
		}
	}
	if len(mesh) == 0 {
		return
	}
	p("### An off-the-shelf GraphQL layer over the REST API (GraphQL Mesh)\n\n")
	p("| query | latency | mode | calls | critical path | p50 | p95 |\n|---|---:|---|---:|---:|---:|---:|\n")
	for _, mc := range mesh {
		for _, m := range []Mode{ModeAPI, ModeNaiveConcurrent, ModeMesh} {
			c, ok := r.cell(mc.Query, m, mc.Latency)
			switch {
			case !ok:
				continue
			case c.NotRun != "":
				p("| %s | %v | %s | not installed: %s |||\n", c.Query, c.Latency, m, oneLine(c.NotRun))
			case c.Err != "":
				p("| %s | %v | %s | error: %s |||\n", c.Query, c.Latency, m, oneLine(c.Err))
			default:
				p("| %s | %v | %s | %s | %d | %s | %s |\n", c.Query, c.Latency, m, callsText(c), c.Chain,
					FormatDuration(c.P50), FormatDuration(c.P95))
			}
		}
	}
	p("\n")
}

func (r *Report) writeAll(p func(string, ...any)) {
	p("### All measurements\n\n")
	p("| query | mode | latency | runs | calls | critical path | wall/latency | p50 | p95 | allocs | KiB |\n")
	p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range r.Queries {
		for _, lat := range r.latencies() {
			for _, m := range Modes() {
				c, ok := r.cell(q.Name, m, lat)
				if !ok {
					continue
				}
				if c.NotRun != "" {
					p("| %s | %s | %v | not installed: %s ||||||||\n", q.Name, m, lat, oneLine(c.NotRun))
					continue
				}
				if c.Err != "" {
					p("| %s | %s | %v | error: %s ||||||||\n", q.Name, m, lat, oneLine(c.Err))
					continue
				}
				wl := "–"
				if lat > 0 {
					wl = fmt.Sprintf("%.1f", c.WallRoundTrips())
				}
				p("| %s | %s | %v | %d | %s | %d | %s | %s | %s | %d | %d |\n", q.Name, m, lat, c.Runs, callsText(c),
					c.Chain, wl, FormatDuration(c.P50), FormatDuration(c.P95), c.AllocsPerRun, c.BytesPerRun/1024)
			}
		}
	}
	p("\n")
}

func (r *Report) writeEndpoints(p func(string, ...any)) {
	p("### What the API sends upstream, per query (api-unlimited, last run)\n\n")
	p("| query | endpoint | calls | note |\n|---|---|---:|---|\n")
	lat := slices.Max(r.latencies())
	for _, q := range r.Queries {
		c, ok := r.cell(q.Name, ModeAPIUnlimited, lat)
		if !ok {
			continue
		}
		for _, ep := range slices.Sorted(maps.Keys(c.ByEndpoint)) {
			p("| %s | `%s` | %d | %s |\n", q.Name, ep, c.ByEndpoint[ep], endpointNotes[ep])
		}
	}
	p("\n")
}

func (r *Report) writeQueries(p func(string, ...any)) {
	p("### The queries\n\n")
	for _, q := range r.Queries {
		p("- **%s** (depth %d): %s. Floor %s: %s.\n", q.Name, q.Depth, q.Title, floorText(q.Floor), q.FloorNote)
	}
	p("\nTargets: tree root %s, diff page %s, %d entity ids from %s, search word %q.\n\n```graphql\n",
		r.Targets.TreeRoot, r.Targets.DiffPage, len(r.Targets.EntityIDs), r.Targets.SpaceKey, r.Targets.SearchText)
	for _, q := range r.Queries {
		p("%s\n", q.GraphQL)
	}
	p("```\n\n")
}

// endpointNotes say what Confluence offers instead of an endpoint's per-page form, as Confluence
// Cloud's REST API v2 (https://developer.atlassian.com/cloud/confluence/rest/v2/) and v1
// (https://developer.atlassian.com/cloud/confluence/rest/v1/) documentation describes them.
var endpointNotes = map[string]string{
	"GET /wiki/api/v2/pages/{id}/footer-comments": "per page; v1 content search `id in (...)` with `expand=children.comment` brings many pages' comments in one call",
	"GET /wiki/api/v2/pages/{id}/inline-comments": "per page; see footer-comments",
	"GET /wiki/api/v2/pages/{id}/attachments":     "per page; v1 content search with `expand=children.attachment` brings many pages' attachments in one call",
	"GET /wiki/api/v2/pages/{id}/versions":        "per page; no bulk form in Confluence",
	"GET /wiki/api/v2/pages/{id}/labels":          "per page; CQL `id in (...)` with `expand=metadata.labels` is the bulk form",
	"GET /wiki/api/v2/pages/{id}/direct-children": "per parent; CQL `parent in (...)` is the bulk form",
	"GET /wiki/api/v2/pages/{id}/descendants":     "per subtree, up to 10 levels, 250 rows per call",
	"GET /wiki/api/v2/pages/{id}":                 "single page; bulk form `GET /pages?id=...` (current version only)",
	"GET /wiki/api/v2/pages":                      "bulk, up to 250 ids; `body-format=storage` brings bodies in the same call",
	"GET /wiki/rest/api/content/search":           "CQL content search (bulk labels / children / expansions)",
	"GET /wiki/rest/api/search":                   "CQL search; `expand=content.body.storage` brings bodies (≤ 50 rows)",
	"POST /wiki/api/v2/users-bulk":                "bulk, up to 250 accounts",
	"GET /wiki/api/v2/spaces":                     "bulk by ids or keys",
	"GET /wiki/api/v2/spaces/{id}/pages":          "one list call per space",
}

// firstErr returns the first error among cells, or "".
func firstErr(cells ...Cell) string {
	for _, c := range cells {
		if c.Err != "" {
			return string(c.Mode) + ": " + c.Err
		}
	}
	return ""
}

// oneLine makes an error fit a table cell.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func mark(got, goal int) string {
	if got <= goal {
		return fmt.Sprintf("%d ✓", got)
	}
	return fmt.Sprintf("%d ✗", got)
}

func callsMark(c Cell, floor int) string {
	switch {
	case c.MaxCalls <= floor:
		return callsText(c) + " ✓"
	case c.Calls <= floor:
		return callsText(c) + " ✓*"
	}
	return callsText(c) + " ✗"
}

func callsText(c Cell) string {
	if c.MinCalls != c.MaxCalls {
		return fmt.Sprintf("%d (%d–%d)", c.Calls, c.MinCalls, c.MaxCalls)
	}
	return fmt.Sprint(c.Calls)
}

func floorText(f int) string { return fmt.Sprint(f) }

func ratio(naive, api int) string {
	if api == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1fx", float64(naive)/float64(api))
}

// FormatDuration renders d for a report table: "12.3 s", "1.23 s", "45 ms" or "0.12 ms".
func FormatDuration(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
}

// ReplaceSection returns doc with the part from the marker line begin to the marker end replaced
// by section (which includes the markers and ends with a newline), keeping the rest of doc byte
// for byte. Without the markers in doc, the section is appended; an empty doc gets a title first.
// The report and the load check (bench/load) each own a section of bench/RESULTS.md this way.
// Text outside the markers is kept byte for byte.
func ReplaceSection(doc, begin, end, section string) string {
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i >= 0 && j > i {
		return doc[:i] + strings.TrimSuffix(section, "\n") + doc[j+len(end):]
	}
	if strings.TrimSpace(doc) == "" {
		return "# Benchmark results\n\n" + section
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + section
}

// WriteResults writes r's section into the file at path, keeping the rest of the file.
func WriteResults(path string, r *Report) error {
	return WriteSection(path, SectionBegin, SectionEnd, r.Markdown())
}

// WriteSection replaces the section between the markers begin and end of the file at path (see
// ReplaceSection), creating the file if it does not exist.
func WriteSection(path, begin, end, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(path, []byte(ReplaceSection(string(old), begin, end, section)), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}
