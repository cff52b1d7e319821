package bench_test

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/bench"
)

func TestReplaceSection(t *testing.T) {
	section := bench.SectionBegin + "\nnew numbers\n" + bench.SectionEnd + "\n"
	load := "## Concurrent load (bench/load)\n\nrps 123\n"
	// The load check's section, with its own markers.
	lb, le := "<!-- load-check:begin -->", "<!-- load-check:end -->"
	loadSection := lb + "\nnew\n" + le + "\n"
	tests := []struct {
		name       string
		begin, end string // markers; "" means the report's
		section    string // "" means the report's
		doc        string
		want       string
	}{
		{name: "empty file gets a title", doc: "", want: "# Benchmark results\n\n" + section},
		{name: "appended after someone else's section", doc: "# Benchmark results\n\n" + load,
			want: "# Benchmark results\n\n" + load + "\n" + section},
		{name: "replaced in place, the rest kept byte for byte",
			doc:  "# T\n\n" + bench.SectionBegin + "\nold numbers\n" + bench.SectionEnd + "\n\n" + load,
			want: "# T\n\n" + section + "\n" + load},
		{name: "load check: empty file gets a title", begin: lb, end: le, section: loadSection,
			doc: "", want: "# Benchmark results\n\n" + lb + "\nnew\n" + le + "\n"},
		{name: "load check: appended after other sections", begin: lb, end: le, section: loadSection,
			doc: "# R\n\nother\n", want: "# R\n\nother\n\n" + lb + "\nnew\n" + le + "\n"},
		{name: "load check: replaced in place", begin: lb, end: le, section: loadSection,
			doc: "a\n" + lb + "\nold\n" + le + "\nb\n", want: "a\n" + lb + "\nnew\n" + le + "\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			begin, end, sec := cmp.Or(tt.begin, bench.SectionBegin), cmp.Or(tt.end, bench.SectionEnd), cmp.Or(tt.section, section)
			if got := bench.ReplaceSection(tt.doc, begin, end, sec); got != tt.want {
				t.Errorf("ReplaceSection() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestMarkdownMarksGoals(t *testing.T) {
	q := bench.QueryByName("entities")
	lat := 50 * time.Millisecond
	r := &bench.Report{Machine: bench.ThisMachine(), Date: time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC),
		Queries: []*bench.Query{q}, Cells: []bench.Cell{
			{Query: q.Name, Mode: bench.ModeAPI, Latency: lat, Runs: 3, Calls: 2, MinCalls: 2, MaxCalls: 2, Chain: 2, P50: 110 * time.Millisecond},
			{Query: q.Name, Mode: bench.ModeAPIUnlimited, Latency: lat, Runs: 3, Calls: 3, MinCalls: 2, MaxCalls: 4, Chain: 4, P50: 210 * time.Millisecond},
			{Query: q.Name, Mode: bench.ModeNaiveSequential, Latency: lat, Runs: 3, Calls: 200, MinCalls: 200, MaxCalls: 200, Chain: 200, P50: 10 * time.Second},
			{Query: q.Name, Mode: bench.ModeNaiveConcurrent, Latency: lat, Runs: 3, Calls: 200, MinCalls: 200, MaxCalls: 200, Chain: 2, P50: 105 * time.Millisecond},
		},
		Settings: map[bench.Mode][]app.Change{bench.ModeAPIUnlimited: {{Field: "Client.RateLimit", Value: "-1", Base: "0"}}},
	}
	md := r.Markdown()
	for _, want := range []string{
		"Measured 2026-11-25 20:00 UTC",
		"Settings of **api-unlimited** that differ from `serve`'s defaults:\n\n- `Client.RateLimit = -1 (not 0)`\n",
		// depth 2, goal 3: api meets it (2), api-unlimited misses it (4); api calls at the floor, 100x fewer.
		"| entities | 2 | 3 | 2 ✓ | 4 ✗ | 2 | 2 ✓ | 200 | 100.0x | 2 | 110 ms | 210 ms | 10.0 s | 105 ms |",
		"| entities | api-unlimited | 50ms | 3 | 3 (2–4) | 4 | 4.2 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown() lacks %q:\n%s", want, md)
		}
	}
	if !strings.HasPrefix(md, bench.SectionBegin) || !strings.HasSuffix(md, bench.SectionEnd+"\n") {
		t.Errorf("Markdown() is not wrapped in the section markers:\n%s", md)
	}
}

func TestMarkdownShowsFailedCells(t *testing.T) {
	q := bench.QueryByName("diff")
	lat := 50 * time.Millisecond
	ok := func(m bench.Mode) bench.Cell {
		return bench.Cell{Query: q.Name, Mode: m, Latency: lat, Runs: 3, Calls: 2, MinCalls: 2, MaxCalls: 2, Chain: 2}
	}
	r := &bench.Report{Machine: bench.ThisMachine(), Queries: []*bench.Query{q}, Cells: []bench.Cell{
		{Query: q.Name, Mode: bench.ModeAPI, Latency: lat, Err: "bench: graphql errors: boom | at [page]"},
		ok(bench.ModeAPIUnlimited), ok(bench.ModeNaiveSequential), ok(bench.ModeNaiveConcurrent),
	}}
	md := r.Markdown()
	for _, want := range []string{
		`| diff | 2 | 3 | error: api: bench: graphql errors: boom \| at [page] |||||||||||`,
		`| diff | api | 50ms | error: bench: graphql errors: boom \| at [page] ||||||||`,
		"| diff | api-unlimited | 50ms | 3 | 2 | 2 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown() lacks %q:\n%s", want, md)
		}
	}
}

func TestMarkdownMarksCallsAgainstTheFloor(t *testing.T) {
	q := bench.QueryByName("entities") // floor 2
	lat := 50 * time.Millisecond
	tests := []struct {
		name                  string
		calls, minimum, maxim int
		want                  string
	}{
		{"every run at the floor", 2, 2, 2, "| 2 ✓ |"},
		{"median at the floor, one run split", 2, 2, 3, "| 2 (2–3) ✓* |"},
		{"median above the floor", 3, 2, 4, "| 3 (2–4) ✗ |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell := func(m bench.Mode) bench.Cell {
				return bench.Cell{Query: q.Name, Mode: m, Latency: lat, Runs: 3, Calls: tt.calls, MinCalls: tt.minimum, MaxCalls: tt.maxim, Chain: 2}
			}
			r := &bench.Report{Machine: bench.ThisMachine(), Queries: []*bench.Query{q}, Cells: []bench.Cell{
				cell(bench.ModeAPI), cell(bench.ModeAPIUnlimited), cell(bench.ModeNaiveSequential), cell(bench.ModeNaiveConcurrent)}}
			if md := r.Markdown(); !strings.Contains(md, tt.want) {
				t.Errorf("Markdown() lacks %q:\n%s", tt.want, md)
			}
		})
	}
}

func TestMarkdownSetsMeshBesideTheOthers(t *testing.T) {
	q := bench.QueryByName("nested")
	lat := 50 * time.Millisecond
	cell := func(m bench.Mode, calls, chain int, p50 time.Duration) bench.Cell {
		return bench.Cell{Query: q.Name, Mode: m, Latency: lat, Runs: 3, Calls: calls, MinCalls: calls, MaxCalls: calls, Chain: chain, P50: p50, P95: p50}
	}
	r := &bench.Report{Machine: bench.ThisMachine(), Queries: []*bench.Query{q}, Cells: []bench.Cell{
		cell(bench.ModeAPI, 30, 3, 210*time.Millisecond), cell(bench.ModeAPIUnlimited, 30, 3, 210*time.Millisecond),
		cell(bench.ModeNaiveSequential, 320, 320, 16*time.Second), cell(bench.ModeNaiveConcurrent, 320, 5, 280*time.Millisecond),
		cell(bench.ModeMesh, 322, 4, 650*time.Millisecond),
		{Query: q.Name, Mode: bench.ModeMesh, Latency: 0, NotRun: "bench: GraphQL Mesh is not installed: node is not on PATH"},
	}}
	md := r.Markdown()
	for _, want := range []string{
		"**mesh** (nested query only) = GraphQL Mesh (" + bench.MeshVersion,
		"| nested | 50ms | api | 30 | 3 | 210 ms | 210 ms |\n| nested | 50ms | naive-conc | 320 | 5 | 280 ms | 280 ms |\n" +
			"| nested | 50ms | mesh | 322 | 4 | 650 ms | 650 ms |\n",
		"| nested | mesh | 0s | not installed: bench: GraphQL Mesh is not installed: node is not on PATH ||||||||",
		"| nested | mesh | 50ms | 3 | 322 | 4 | 13.0 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown() lacks %q:\n%s", want, md)
		}
	}
}
