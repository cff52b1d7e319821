package graph_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
)

// The read path on Confluence Data Center (the v1 routes at a context path, a PAT as Bearer,
// users by user key) answers every read field as Cloud's v2 path does, but for what names the
// deployment: web links (Data Center's forms under its base URL), user ids (user keys, not
// account ids) and emails (Data Center's user objects carry none).

// dcVolatile are the fields whose values name the deployment; sameButDeployment drops them.
// totalChars counts a rendered body's characters, links included, whose URLs name the
// deployment (bodies are compared with their links collapsed, see normalise).
var dcVolatile = map[string]bool{"url": true, "webUrl": true, "accountId": true, "email": true, "totalChars": true}

// linkRE is a link under a base URL (normalise puts BASE there) inside a body.
var linkRE = regexp.MustCompile(`BASE/[^)\s"]*`)

// userAttrRE is a storage mention's user id: ri:account-id on Cloud, ri:userkey on Data Center.
var userAttrRE = regexp.MustCompile(`ri:(account-id|userkey)="[^"]*"`)

// normalise puts BASE for each deployment's base URL and HOST for its host in every string,
// collapses links under BASE (Data Center's forms differ from Cloud's) and mentions' user ids.
func normalise(v any, r *strings.Replacer) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalise(e, r)
		}
	case []any:
		for i := range x {
			x[i] = normalise(x[i], r)
		}
	case string:
		return userAttrRE.ReplaceAllString(linkRE.ReplaceAllString(r.Replace(x), "BASE/<link>"), "ri:user-id")
	}
	return v
}

// sameButDeployment returns v without dcVolatile fields, and every string value of those
// fields it dropped.
func sameButDeployment(v any, dropped *[]string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if dcVolatile[k] {
				if s, ok := e.(string); ok {
					*dropped = append(*dropped, k+"="+s)
				}
				continue
			}
			out[k] = sameButDeployment(e, dropped)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = sameButDeployment(x[i], dropped)
		}
		return out
	}
	return v
}

// TestReadPathAnswersOnBothDeployments: table-driven over Cloud (classic token, v2 path) and
// Data Center (PAT, v1 path at /confluence), every read field answers the same; Data Center's
// links are its own forms under its base URL, and its user ids are user keys.
func TestReadPathAnswersOnBothDeployments(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	cloud := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithClock(clock))
	t.Cleanup(cloud.Close)
	dc := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithClock(clock),
		confluencetest.WithFlavor(confluencetest.FlavorDataCenter))
	t.Cleanup(dc.Close)
	bases := strings.NewReplacer(dc.BaseURL(), "BASE", cloud.URL()+"/wiki", "BASE", dc.URL(), "HOST", cloud.URL(), "HOST")
	envs := []*env{newEnv(t, envOptions{sim: cloud}), newEnv(t, envOptions{sim: dc})}
	queries := append(append([]struct{ name, query string }{}, v1PathQueries...), v1KindQueries...)
	queries = append(queries, struct{ name, query string }{"attachment text",
		`{ page(id: "100003") { title attachments(mediaType: "text/plain") { nodes { title text { text } } } } }`})
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			var answers [2]any
			var dropped [2][]string
			for i, e := range envs {
				got, errs := runV1(t, e, q.query)
				if len(errs) > 0 {
					t.Fatalf("%s: errors %+v", e.sim.Flavor(), errs)
				}
				for _, must := range v1KindMust[q.name] {
					if !strings.Contains(toJSON(got), must) {
						t.Errorf("%s answer lacks %s: %s", e.sim.Flavor(), must, toJSON(got))
					}
				}
				answers[i] = normalise(sameButDeployment(got, &dropped[i]), bases)
			}
			if !reflect.DeepEqual(answers[0], answers[1]) {
				g, _ := json.MarshalIndent(answers[1], "", " ")
				w, _ := json.MarshalIndent(answers[0], "", " ")
				if dir := os.Getenv("DC_DIFF_DIR"); dir != "" {
					_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(q.name, " ", "_")+".dc.json"), g, 0o600)
					_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(q.name, " ", "_")+".cloud.json"), w, 0o600)
				}
				t.Errorf("data center answers\n %s\nwant (as cloud)\n %s", g, w)
			}
			if n0, n1 := countLinks(dropped[0]), countLinks(dropped[1]); n0 != n1 {
				t.Errorf("links and user ids: cloud %d %v, data center %d %v", n0, dropped[0], n1, dropped[1])
			}
			for _, d := range dropped[1] {
				k, v, _ := strings.Cut(d, "=")
				switch {
				case (k == "url" || k == "webUrl") && v != "" && !strings.HasPrefix(v, dc.BaseURL()+"/"):
					t.Errorf("data center link %s is not under its base URL %s", v, dc.BaseURL())
				case (k == "url" || k == "webUrl") && strings.Contains(v, "/wiki/"):
					t.Errorf("data center link %s has Cloud's /wiki", v)
				case k == "accountId" && len(v) != 32:
					t.Errorf("data center user id %q is not a user key", v)
				}
			}
		})
	}
}

// countLinks counts the dropped links and user ids (Data Center has no emails).
func countLinks(dropped []string) int {
	n := 0
	for _, d := range dropped {
		if !strings.HasPrefix(d, "email=") {
			n++
		}
	}
	return n
}

// TestReadPathNestedCallCountsOnBothDeployments pins the upstream calls of the reference query
// (testquery.Nested) on Data Center beside Cloud's v1 path: the same reads, with one user
// lookup per distinct author (Data Center has no bulk user route) instead of one users bulk.
func TestReadPathNestedCallCountsOnBothDeployments(t *testing.T) {
	cloud := confluencetest.NewServer(confluencetest.WithDataset("bench"))
	t.Cleanup(cloud.Close)
	dc := confluencetest.NewServer(confluencetest.WithDataset("bench"), confluencetest.WithFlavor(confluencetest.FlavorDataCenter))
	t.Cleanup(dc.Close)
	envs := []*env{newEnv(t, envOptions{sim: cloud, account: "scoped-guide", v1: true}), newEnv(t, envOptions{sim: dc})}
	key := cloud.Spaces()[0].Key
	var answers [2]nestedResp
	for i, e := range envs {
		e.sim.ResetStats()
		e.mustDo(t, testquery.Nested, &answers[i], varKey(key))
	}
	st := dc.Stats()
	t.Logf("data center: %d calls\n%s", st.Total, perEndpoint(st.ByEndpoint))
	authors := map[string]bool{}
	for _, p := range answers[1].Space.Pages.Nodes {
		if p.Author != nil {
			authors[p.Author.DisplayName] = true
		}
	}
	want := map[string]int{
		"GET /wiki/rest/api/space":                      1,
		"GET /wiki/rest/api/space/{key}/content/{type}": 1,
		"GET /wiki/rest/api/content/search":             2,
		"GET /wiki/rest/api/user":                       len(authors),
		"GET /wiki/rest/api/content/{id}/version":       25,
	}
	if len(authors) == 0 || !reflect.DeepEqual(st.ByEndpoint, want) {
		t.Errorf("data center upstream calls = %d:\n%s\nwant:\n%s", st.Total, perEndpoint(st.ByEndpoint), perEndpoint(want))
	}
	cst := cloud.Stats()
	if cst.ByEndpoint["GET /wiki/rest/api/user/bulk"] != 1 || cst.Total != 30 {
		t.Errorf("cloud v1 upstream calls = %d:\n%s", cst.Total, perEndpoint(cst.ByEndpoint))
	}
}

// TestAtlasDocFormatOnBothDeployments: Cloud's v1 read path answers ATLAS_DOC_FORMAT with an ADF
// document; Data Center, which has no ADF, refuses it with BAD_USER_INPUT naming the formats
// it has, instead of an empty body.
func TestAtlasDocFormatOnBothDeployments(t *testing.T) {
	cloud := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(cloud.Close)
	dc := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithFlavor(confluencetest.FlavorDataCenter))
	t.Cleanup(dc.Close)
	const q = `{ page(id: "100021") { adf: body(format: ATLAS_DOC_FORMAT) { value } v: versions(first: 1) { nodes { body(format: ATLAS_DOC_FORMAT) { value } } } } }`
	got, errs := runV1(t, newEnv(t, envOptions{sim: cloud, account: "scoped-guide", v1: true}), q)
	b, _ := json.Marshal(got)
	if len(errs) > 0 || !strings.Contains(string(b), `\"type\":\"doc\"`) {
		t.Errorf("Cloud v1: %s, errors %+v; want an ADF doc", b, errs)
	}
	_, errs = runV1(t, newEnv(t, envOptions{sim: dc}), q)
	if len(errs) != 2 {
		t.Fatalf("Data Center: errors %+v; want one per ATLAS_DOC_FORMAT body", errs)
	}
	for _, e := range errs {
		if e.Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(e.Message, "STORAGE") {
			t.Errorf("Data Center: %+v; want BAD_USER_INPUT naming the formats Data Center has", e)
		}
	}
}
