package graph_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// recorder is a RoundTripper that notes every upstream request in the order the events
// happened: a request's start and end are positions in one sequence, so which requests waited
// for which is read from the order, not from the clock.
type recorder struct {
	mu   sync.Mutex
	seq  int
	reqs []recorded
}

type recorded struct {
	path       string
	query      url.Values
	start, end int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seq++
	i := len(r.reqs)
	r.reqs = append(r.reqs, recorded{path: req.URL.Path, query: req.URL.Query(), start: r.seq})
	r.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(req)
	r.mu.Lock()
	r.seq++
	r.reqs[i].end = r.seq
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs, r.seq = nil, 0
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// roundTrips is the longest chain of requests each of which started after the one before it
// in the chain had ended: the round trips the answer waited for.
func roundTrips(reqs []recorded) int {
	longest := 0
	depth := make([]int, len(reqs))
	for i := range reqs {
		depth[i] = 1
		for j := range i {
			if reqs[j].end < reqs[i].start && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		longest = max(longest, depth[i])
	}
	return longest
}

func (c recorded) String() string { return c.path + "?" + c.query.Encode() }

// A page read for its body or its diff brings its current body in the bulk call that reads its
// metadata, so the current body costs no call of its own; a page read for metadata alone asks
// for no body. Each case names the upstream requests, in order.
func TestPageReadsWithBodyCostOneCall(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, envOptions{dataset: "demo", transport: rec})
	const bulk, search = "/wiki/api/v2/pages", "/wiki/rest/api/search"
	tests := []struct {
		name       string
		query      string
		vars       []client.Option
		want       []string // path, body-format and version (when given) of each request, in order
		roundTrips int
	}{
		{"title only: one bulk read without a body",
			`{ page(id: "100008") { title } }`, nil,
			[]string{bulk + " "}, 1},
		// Markdown resolves the body's page links: one CQL search for all of them.
		{"title and the Markdown body: one bulk read with the storage body, one search for its links",
			`{ page(id: "100008") { title body { value } } }`, nil,
			[]string{bulk + " storage", search + " "}, 2},
		{"TEXT and STORAGE bodies under aliases share the read",
			`{ page(id: "100008") { t: body(format: TEXT) { value } s: body(format: STORAGE) { value } } }`, nil,
			[]string{bulk + " storage"}, 1},
		{"a format given by a variable counts",
			`query($f: BodyFormat) { page(id: "100008") { body(format: $f) { value } } }`,
			[]client.Option{client.Var("f", "TEXT")},
			[]string{bulk + " storage"}, 1},
		{"an ADF body: one bulk read with the ADF body",
			`{ page(id: "100008") { body(format: ATLAS_DOC_FORMAT) { value } } }`, nil,
			[]string{bulk + " atlas_doc_format"}, 1},
		{"a VIEW body: the page endpoint brings it with the metadata",
			`{ page(id: "100008") { title body(format: VIEW) { value } } }`, nil,
			[]string{bulk + "/100008 view"}, 1},
		{"the diff: the page with its current body, then the previous version",
			`{ page(id: "100008") { title diff { from { number } to { number } linesAdded linesRemoved unified } } }`, nil,
			[]string{bulk + " storage", bulk + "/100008 storage version 4"}, 2}, // 100008 is at version 5
		{"pages(ids:) with bodies: one bulk read",
			`{ pages(ids: ["100003", "100008", "100021"]) { title body(format: STORAGE) { value } } }`, nil,
			[]string{bulk + " storage"}, 1},
		{"pageByUrl with its Markdown body: one bulk read, one search for its links",
			`query($u: String!) { pageByUrl(url: $u) { body { value } } }`,
			[]client.Option{client.Var("u", "http://"+e.sim.Host()+"/wiki/spaces/ENG/pages/100008/x")},
			[]string{bulk + " storage", search + " "}, 2},
		{"entities with bodies: one bulk read",
			`{ _entities(representations: [{__typename: "Page", id: "100003"}, {__typename: "Page", id: "100008"}]) { ... on Page { title body(format: STORAGE) { value } } } }`, nil,
			[]string{bulk + " storage"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.ResetStats()
			rec.reset()
			var r json.RawMessage
			e.mustDo(t, tt.query, &r, tt.vars...)
			if strings.Contains(string(r), "null") {
				t.Errorf("answer has nulls: %s", r)
			}
			reqs := rec.requests()
			var got []string
			for _, q := range reqs {
				g := q.path + " " + q.query.Get("body-format")
				if v := q.query.Get("version"); v != "" {
					g += " version " + v
				}
				got = append(got, g)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("upstream requests = %q, want %q (all: %v)", got, tt.want, reqs)
			}
			if n := e.sim.Stats().Total; n != len(tt.want) {
				t.Errorf("simulator counted %d calls (%v), want %d", n, e.sim.Stats().ByEndpoint, len(tt.want))
			}
			if n := roundTrips(reqs); n != tt.roundTrips {
				t.Errorf("round trips = %d, want %d (%v)", n, tt.roundTrips, reqs)
			}
		})
	}
}

// The diff read this way compares the version before the current one with the current one, and
// the body that came with the page is the current version's body as the version endpoint gives it.
func TestPageReadWithBodyAgreesWithVersionReads(t *testing.T) {
	e := demoEnv(t)
	var got struct {
		Page struct {
			Body           struct{ Value string }
			CurrentVersion struct {
				Number int
				Body   struct{ Value string }
			}
			Diff struct {
				From, To   struct{ Number int }
				LinesAdded int
			}
		}
	}
	e.mustDo(t, `{ page(id: "100008") { body(format: STORAGE) { value } currentVersion { number body(format: STORAGE) { value } } diff { from { number } to { number } linesAdded } } }`, &got)
	p := got.Page
	if p.Body.Value == "" || p.Body.Value != p.CurrentVersion.Body.Value {
		t.Errorf("page body = %q, want the current version's body %q", p.Body.Value, p.CurrentVersion.Body.Value)
	}
	if p.Diff.To.Number != p.CurrentVersion.Number || p.Diff.From.Number != p.CurrentVersion.Number-1 {
		t.Errorf("diff from %d to %d, want from %d to %d", p.Diff.From.Number, p.Diff.To.Number, p.CurrentVersion.Number-1, p.CurrentVersion.Number)
	}
	if p.Diff.LinesAdded == 0 {
		t.Errorf("diff adds no lines, want the edit between the two versions")
	}
}
