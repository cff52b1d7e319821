//go:build meshbench

package bench_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/confluence-graph/confluence-graph/bench"
)

// TestMeshAgreesWithNaive checks that the GraphQL Mesh baseline is honest: it answers the nested
// query as the naive client does (bodies included: both read storage format), and what it costs
// upstream is what a layer with one REST call per field per node must cost. It needs node and
// bench/mesh/node_modules, so it is built only with the meshbench tag, which `make bench` gives
// after installing them (`make test` does not build it, so it never skips):
//
//	npm ci --prefix bench/mesh && go test -tags meshbench ./bench -run TestMeshAgreesWithNaive -count=1
//
// A missing installation fails the test.
func TestMeshAgreesWithNaive(t *testing.T) {
	if _, _, err := bench.MeshInstalled(); err != nil {
		t.Fatal(err)
	}
	ctx, h := newHarness(t)
	q := bench.QueryByName("nested")

	run := func(m bench.Mode) (bench.Nested, bench.Observation) {
		t.Helper()
		if err := h.Prepare(m); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		got, err := h.Run(ctx, q, m)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		o, err := h.Observe(m)
		if err != nil {
			t.Fatal(err)
		}
		return got.(bench.Nested), o
	}
	want, naive := run(bench.ModeNaiveSequential)
	got, mesh := run(bench.ModeMesh)
	if len(want.Pages) == 0 {
		t.Fatal("the naive answer has no pages; the test would prove nothing")
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("mesh answer differs from naive-seq (-naive +mesh):\n%s", diff)
	}

	// Mesh makes the naive client's calls, except for comments: it always asks inline comments
	// (the naive client only while a page has fewer than 5 footer ones) and the author of every
	// comment it reads, kept or not.
	const inline, users = "GET /wiki/api/v2/pages/{id}/inline-comments", "POST /wiki/api/v2/users-bulk"
	for ep, n := range naive.ByEndpoint {
		if ep != inline && ep != users && mesh.ByEndpoint[ep] != n {
			t.Errorf("%s: mesh made %d calls, naive %d", ep, mesh.ByEndpoint[ep], n)
		}
	}
	if n := mesh.ByEndpoint[inline]; n != len(got.Pages) {
		t.Errorf("%s: mesh made %d calls for %d pages, want one per page", inline, n, len(got.Pages))
	}
	if mesh.ByEndpoint[users] < naive.ByEndpoint[users] {
		t.Errorf("%s: mesh made %d calls, fewer than naive's %d", users, mesh.ByEndpoint[users], naive.ByEndpoint[users])
	}
	if mesh.Calls < naive.Calls {
		t.Errorf("mesh made %d calls, fewer than naive's %d", mesh.Calls, naive.Calls)
	}
	// Its upstream calls pass through the recording proxy: every one is recorded.
	if mesh.Chain < 3 {
		t.Errorf("mesh critical path %d; space, pages and a page's fields are at least 3 dependent calls", mesh.Chain)
	}
	t.Logf("naive %d calls, mesh %d calls (critical path %d)", naive.Calls, mesh.Calls, mesh.Chain)
}

// TestMeshOnlyNested: the Mesh baseline describes only the nested query's REST calls.
func TestMeshOnlyNested(t *testing.T) {
	for _, q := range bench.Queries() {
		if got, want := q.Supports(bench.ModeMesh), q.Name == "nested"; got != want {
			t.Errorf("%s.Supports(mesh) = %v, want %v", q.Name, got, want)
		}
		if !q.Supports(bench.ModeNaiveSequential) {
			t.Errorf("%s does not support naive-seq", q.Name)
		}
	}
}

// TestMeshVersionPinned keeps MeshVersion, which the report quotes, in step with the versions
// bench/mesh/package.json pins.
func TestMeshVersionPinned(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("mesh", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"@graphql-mesh/cli", "@graphql-mesh/openapi"} {
		v := pkg.Dependencies[name]
		if v == "" || strings.ContainsAny(v, "^~<>*") {
			t.Errorf("package.json pins %s as %q, want an exact version", name, v)
		}
		if !strings.Contains(bench.MeshVersion, name+" "+v) {
			t.Errorf("MeshVersion %q does not name %s %s", bench.MeshVersion, name, v)
		}
	}
}

// TestMeshMissingIsSkip: a missing installation is skipped outside CI and fails under CI=true.
func TestMeshMissingIsSkip(t *testing.T) {
	missing := errors.Join(errors.New("bench: nested mesh"), bench.ErrMeshNotInstalled)
	t.Setenv("CI", "")
	if !bench.MeshMissingIsSkip(missing) {
		t.Error("outside CI a missing Mesh is not skipped")
	}
	if bench.MeshMissingIsSkip(errors.New("mesh build failed")) {
		t.Error("another error is skipped")
	}
	t.Setenv("CI", "true")
	if bench.MeshMissingIsSkip(missing) {
		t.Error("under CI=true a missing Mesh is skipped")
	}
}
