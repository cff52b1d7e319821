package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
)

// CQL that passes our checks but that Confluence refuses (400 on the search endpoint) is still
// INVALID_CQL, with Confluence's status and without a position we do not know; Confluence's text
// is not copied.
func TestErrorsCQLRejectedUpstream(t *testing.T) {
	e := demoEnv(t)
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 400, PathPrefix: "/wiki/rest/api/search"})
	var r struct{ Ok *struct{ Title string } }
	errs := e.do(t, `{ search(cql: "type = page AND text ~ runbook") { totalCount } ok: page(id: "100003") { title } }`, &r)
	ge := errorAt(t, errs, "search")
	if codeOf(ge) != graph.CodeInvalidCQL || !strings.HasPrefix(ge.Message, "Confluence rejected the CQL query") {
		t.Errorf("error = %s %q, want INVALID_CQL from Confluence", codeOf(ge), ge.Message)
	}
	if _, ok := ge.Extensions["line"]; ok {
		t.Errorf("extensions = %v, want no line for an upstream rejection", ge.Extensions)
	}
	if r.Ok == nil || r.Ok.Title != "Deployment Runbook" {
		t.Errorf("ok = %+v, want the page despite the search error", r.Ok)
	}
}

// A 403 on one item (the connected account may not see that page or space) is
// CONFLUENCE_FORBIDDEN with a hint to grant read access, distinct from rejected credentials
// (CONFLUENCE_UNAUTHORIZED), and it fails only that field.
func TestErrorsConfluenceForbiddenItem(t *testing.T) {
	e := demoEnv(t)
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: http.StatusForbidden,
		PathPrefix: "/wiki/api/v2/pages"})
	var r struct {
		Page  *struct{ Title string }
		Space *struct{ Key string }
	}
	errs := e.do(t, `{ page(id: "100003") { title } space(key: "OPS") { key } }`, &r)
	ge := errorAt(t, errs, "page")
	if got := codeOf(ge); got != graph.CodeConfluenceForbidden {
		t.Errorf("code = %s, want %s (%+v)", got, graph.CodeConfluenceForbidden, ge)
	}
	if !strings.Contains(ge.Message, "cannot see this") || !strings.Contains(ge.Message, "read access") {
		t.Errorf("message = %q, want the read-access hint", ge.Message)
	}
	if r.Page != nil || r.Space == nil || r.Space.Key != "OPS" {
		t.Errorf("page = %+v, space = %+v; want only the page to fail", r.Page, r.Space)
	}
}

// echoTransport answers the requests whose path starts with one of its prefixes itself, with an
// error body that echoes the request's Authorization header (as a misconfigured proxy may), and
// passes every other request on.
type echoTransport struct {
	status   map[string]int // path prefix -> status of the echoed answer
	textBody bool           // text/plain instead of a JSON error envelope
	mu       sync.Mutex
	echoed   []string // the Authorization headers echoed
}

func (e *echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	for prefix, status := range e.status {
		if !strings.HasPrefix(r.URL.Path, prefix) {
			continue
		}
		auth := r.Header.Get("Authorization")
		e.mu.Lock()
		e.echoed = append(e.echoed, auth)
		e.mu.Unlock()
		body, ct := `{"message":"rejected request with Authorization: `+auth+`"}`, "application/json"
		if e.textBody {
			body, ct = "rejected request with Authorization: "+auth, "text/plain"
		}
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Upstream error text is never copied into a response: a search Confluence rejects (400), a
// page read answered 400 (INTERNAL), a 500 with a text body (UPSTREAM_UNAVAILABLE), each from a
// proxy that echoes the Authorization header, answer with fixed messages only.
func TestErrorsUpstreamTextNotCopied(t *testing.T) {
	for _, text := range []bool{false, true} {
		tr := &echoTransport{textBody: text, status: map[string]int{
			"/wiki/rest/api/search": http.StatusBadRequest,
			"/wiki/api/v2/pages":    http.StatusBadRequest,
			"/wiki/api/v2/spaces":   http.StatusInternalServerError,
		}}
		e := newEnv(t, envOptions{dataset: "demo", transport: tr})
		resp, err := e.client.RawPost(`{ search(cql: "type = page") { totalCount } page(id: "100003") { title } space(key: "OPS") { key } }`)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(resp)
		tr.mu.Lock()
		echoed := tr.echoed
		tr.mu.Unlock()
		if len(echoed) == 0 {
			t.Fatalf("text body %t: nothing was echoed; response %s", text, out)
		}
		for _, auth := range echoed {
			secret := strings.TrimPrefix(strings.TrimPrefix(auth, "Basic "), "Bearer ")
			if secret == "" || strings.Contains(string(out), secret) || strings.Contains(string(out), "rejected request") {
				t.Errorf("text body %t: response %s copies upstream text (Authorization %q)", text, out, auth)
			}
		}
		var errs []gqlError
		_ = json.Unmarshal(resp.Errors, &errs)
		if !text {
			if ge := errorAt(t, errs, "search"); codeOf(ge) != graph.CodeInvalidCQL || ge.Extensions["upstreamStatus"] != float64(400) {
				t.Errorf("search error = %+v, want INVALID_CQL with upstreamStatus 400", ge)
			}
		}
	}
}
