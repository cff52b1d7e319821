//go:build meshbench

package main

import (
	"strings"
	"testing"
	"time"
)

// TestMeshRowOfTheLoadCheck runs the load check's GraphQL Mesh row on a small dataset: every
// answer complete, one REST call per node or more upstream (well over the API's), and the row in
// the report. It needs node and bench/mesh/node_modules, so it is built only with the meshbench
// tag, which `make bench` gives after npm ci --prefix bench/mesh.
func TestMeshRowOfTheLoadCheck(t *testing.T) {
	cfg := Config{Clients: 2, Tenants: 1, Duration: time.Minute, MaxRequests: 2, Baselines: true, Mesh: true,
		Spaces: 1, PagesPerSpace: 40}
	st, err := startStack(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep := Report{Config: cfg}
	for _, s := range st.runs(cfg) {
		if s.Mode != modeAPI && s.Mode != modeMesh || s.Name != "nested" {
			continue
		}
		r, err := st.measure(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		if p := r.Problem(); p != "" || r.Complete != cfg.Clients*cfg.MaxRequests {
			t.Fatalf("%s: %d complete; problem %q", s.Mode, r.Complete, p)
		}
		rep.Results = append(rep.Results, r)
	}
	if len(rep.Results) != 2 {
		t.Fatalf("%d nested runs, want the API's and Mesh's", len(rep.Results))
	}
	api, mesh := rep.Results[0].UpstreamPerRequest(), rep.Results[1].UpstreamPerRequest()
	if mesh <= 2*api {
		t.Errorf("upstream calls per nested query: API %.1f, Mesh %.1f; want Mesh's over twice the API's", api, mesh)
	}
	if md := rep.Markdown(); !strings.Contains(md, "| nested | GraphQL Mesh |") || !strings.Contains(md, "off-the-shelf GraphQL layer") {
		t.Errorf("report lacks the Mesh row or its description:\n%s", md)
	}
}
