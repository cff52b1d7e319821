package graph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/settings"
)

// errorAt returns the error whose path starts with field, or fails.
func errorAt(t *testing.T, errs []gqlError, field string) gqlError {
	t.Helper()
	for _, e := range errs {
		if len(e.Path) > 0 && e.Path[0] == field {
			return e
		}
	}
	t.Fatalf("no error at %q in %+v", field, errs)
	return gqlError{}
}

func TestErrorsNotFoundIsPerField(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Ok      *struct{ Title string }
		Missing *struct{ Title string }
		Space   *struct{ Key string }
	}
	errs := e.do(t, `{ ok: page(id: "100003") { title } missing: page(id: "999999") { title } space(key: "NOPE") { key } }`, &r)
	if r.Ok == nil || r.Ok.Title != "Deployment Runbook" {
		t.Errorf("ok = %+v, want the page despite the other failures", r.Ok)
	}
	if r.Missing != nil || r.Space != nil {
		t.Errorf("missing = %+v, space = %+v; want null", r.Missing, r.Space)
	}
	for _, f := range []string{"missing", "space"} {
		if got := codeOf(errorAt(t, errs, f)); got != graph.CodeNotFound {
			t.Errorf("%s: code = %s, want NOT_FOUND", f, got)
		}
	}
}

func TestErrorsInvalidCQLSendsNothing(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	errs := e.do(t, `{ search(cql: "type = page AND\n(space = OPS") { totalCount } }`, nil)
	ge := errorAt(t, errs, "search")
	if codeOf(ge) != graph.CodeInvalidCQL {
		t.Fatalf("code = %s, want INVALID_CQL (%+v)", codeOf(ge), ge)
	}
	line, _ := ge.Extensions["line"].(float64)
	col, _ := ge.Extensions["column"].(float64)
	if line != 2 || col < 1 {
		t.Errorf("line, column = %v, %v; want line 2", line, col)
	}
	if got := e.sim.Stats().Total; got != 0 {
		t.Errorf("upstream calls = %d, want 0", got)
	}
}

func TestErrorsRateLimitedWithPartialResult(t *testing.T) {
	e := demoEnv(t)
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "7", PathPrefix: "/wiki/api/v2/pages/100003/labels"})
	var r struct {
		Page struct {
			Title  string
			Labels []struct{ Name string }
			Parent *struct{ Title string }
		}
	}
	errs := e.do(t, `{ page(id: "100003") { title labels { name } parent { title } } }`, &r)
	ge := errorAt(t, errs, "page")
	if codeOf(ge) != graph.CodeRateLimited {
		t.Fatalf("code = %s, want RATE_LIMITED (%+v)", codeOf(ge), ge)
	}
	if secs, _ := ge.Extensions["retryAfterSeconds"].(float64); secs != 7 {
		t.Errorf("retryAfterSeconds = %v, want 7", ge.Extensions["retryAfterSeconds"])
	}
	if len(ge.Path) != 2 || ge.Path[1] != "labels" {
		t.Errorf("path = %v, want [page labels]", ge.Path)
	}
	if r.Page.Title != "Deployment Runbook" || r.Page.Parent == nil || r.Page.Parent.Title != "Runbooks" {
		t.Errorf("page = %+v, want title and parent despite the labels error", r.Page)
	}
}

func TestErrorsUpstreamClasses(t *testing.T) {
	t.Run("unavailable", func(t *testing.T) {
		e := demoEnv(t)
		e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503, PathPrefix: "/wiki/api/v2/pages"})
		errs := e.do(t, `{ page(id: "100003") { title } }`, nil)
		if got := codeOf(errorAt(t, errs, "page")); got != graph.CodeUpstreamUnavailable {
			t.Errorf("code = %s, want UPSTREAM_UNAVAILABLE", got)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		e := newEnv(t, envOptions{dataset: "demo", attemptTimeout: 300 * time.Millisecond})
		e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultHang, PathPrefix: "/wiki/api/v2/pages"})
		errs := e.do(t, `{ page(id: "100003") { title } }`, nil)
		if got := codeOf(errorAt(t, errs, "page")); got != graph.CodeUpstreamTimeout {
			t.Errorf("code = %s, want UPSTREAM_TIMEOUT", got)
		}
	})
	t.Run("revoked token", func(t *testing.T) {
		e := demoEnv(t)
		e.sim.RevokeToken(e.sim.Account("classic").Email)
		errs := e.do(t, `{ page(id: "100003") { title } }`, nil)
		ge := errorAt(t, errs, "page")
		if codeOf(ge) != graph.CodeConfluenceUnauthorized {
			t.Errorf("code = %s, want CONFLUENCE_UNAUTHORIZED", codeOf(ge))
		}
		if want := "Confluence rejected the stored credentials (revoked or expired token); an admin must reconnect"; ge.Message != want {
			t.Errorf("message = %q", ge.Message)
		}
	})
}

func TestErrorsCallerAndConnection(t *testing.T) {
	t.Run("no caller", func(t *testing.T) {
		e := newEnv(t, envOptions{dataset: "demo", noCaller: true})
		errs := e.do(t, `{ page(id: "100003") { title } }`, nil)
		if got := codeOf(errorAt(t, errs, "page")); got != graph.CodeUnauthenticated {
			t.Errorf("code = %s, want UNAUTHENTICATED", got)
		}
	})
	t.Run("reader cannot mutate", func(t *testing.T) {
		e := newEnv(t, envOptions{dataset: "demo", integrations: &memIntegrations{}})
		errs := e.do(t, `mutation { disconnectConfluence { disconnected } }`, nil)
		if got := codeOf(errorAt(t, errs, "disconnectConfluence")); got != graph.CodeForbidden {
			t.Errorf("code = %s, want FORBIDDEN", got)
		}
	})
	t.Run("not connected per field, settings still answer", func(t *testing.T) {
		e := newEnv(t, envOptions{dataset: "demo", notConnected: true, integrations: &memIntegrations{}})
		var r struct {
			ConfluenceIntegration *struct{ Status string }
			Page                  *struct{ Title string }
		}
		errs := e.do(t, `{ confluenceIntegration { status } page(id: "100003") { title } }`, &r)
		if got := codeOf(errorAt(t, errs, "page")); got != graph.CodeNotConnected {
			t.Errorf("code = %s, want NOT_CONNECTED", got)
		}
		if len(errs) != 1 || r.ConfluenceIntegration != nil {
			t.Errorf("errors = %+v, integration = %+v; want only the page error and a null integration", errs, r.ConfluenceIntegration)
		}
	})
	t.Run("first out of range", func(t *testing.T) {
		e := demoEnv(t)
		e.sim.ResetStats()
		errs := e.do(t, `{ spaces(first: 101) { nodes { key } } }`, nil)
		ge := errorAt(t, errs, "spaces")
		if codeOf(ge) != graph.CodeBadUserInput || ge.Message != "first must be between 1 and 100, got 101" {
			t.Errorf("error = %+v, want BAD_USER_INPUT with the range", ge)
		}
		if e.sim.Stats().Total != 0 {
			t.Errorf("upstream calls = %d, want 0", e.sim.Stats().Total)
		}
	})
	t.Run("diff of a version that does not exist", func(t *testing.T) {
		e := demoEnv(t)
		errs := e.do(t, `{ page(id: "100003") { diff(from: 1, to: 9) { unified } } }`, nil)
		ge := errorAt(t, errs, "page")
		if codeOf(ge) != graph.CodeNotFound || ge.Message != "version 9 of page 100003 does not exist (versions 1 to 4 do)" {
			t.Errorf("error = %+v", ge)
		}
	})
}

func TestErrorPresenterMasksInternals(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	present, recoverFn := graph.NewErrorPresenter(log), graph.NewRecover(log)
	ge := present(context.Background(), errors.New("pq: password authentication failed for user app"))
	if ge.Message != "internal error" || ge.Extensions["code"] != graph.CodeInternal {
		t.Errorf("presented = %q %v, want internal error / INTERNAL", ge.Message, ge.Extensions)
	}
	err := recoverFn(context.Background(), "boom")
	ge = present(context.Background(), err)
	if ge.Message != "internal error" || ge.Extensions["code"] != graph.CodeInternal {
		t.Errorf("recovered panic presented = %q %v", ge.Message, ge.Extensions)
	}
	if out := logged.String(); !strings.Contains(out, "password authentication failed") || !strings.Contains(out, "boom") {
		t.Errorf("the wired logger got %q, want the internal error and the panic", out)
	}
}

// The presenter and the recover func take their logger from the wiring: none is a wiring bug.
func TestErrorPresenterNeedsLogger(t *testing.T) {
	for name, build := range map[string]func(){
		"NewErrorPresenter": func() { graph.NewErrorPresenter(nil) },
		"NewRecover":        func() { graph.NewRecover(nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s(nil) did not panic", name)
				}
			}()
			build()
		}()
	}
}

// Either package's not-connected error, however wrapped, is NOT_CONNECTED with the fixed hint,
// and the tenant id in the wrapped text does not reach the client.
func TestErrorPresenterNotConnected(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"loaders", loaders.ErrNotConnected},
		{"settings, wrapped with the tenant", fmt.Errorf("%w: tenant %q", settings.ErrNotConnected, "tenant-secret-id")},
		{"settings inside loaders (SettingsSource)", fmt.Errorf("%w: %w", loaders.ErrNotConnected, fmt.Errorf("%w: tenant %q", settings.ErrNotConnected, "tenant-secret-id"))},
		{"settings behind a field error", fmt.Errorf("graph: page: %w", settings.ErrNotConnected)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ge := graph.NewErrorPresenter(slog.New(slog.DiscardHandler))(context.Background(), tt.err)
			if got, want := ge.Extensions["code"], graph.CodeNotConnected; got != want {
				t.Errorf("code = %v, want %v", got, want)
			}
			if strings.Contains(ge.Message, "tenant-secret-id") || !strings.Contains(ge.Message, "connectConfluence") {
				t.Errorf("message = %q, want the connectConfluence hint without the tenant", ge.Message)
			}
		})
	}
	t.Run("through a request: a client lookup that returns settings' error", func(t *testing.T) {
		e := newEnv(t, envOptions{dataset: "demo", notConnected: true,
			notConnectedErr: fmt.Errorf("%w: tenant %q", settings.ErrNotConnected, "t1")})
		errs := e.do(t, `{ page(id: "100003") { title } }`, nil)
		if got := codeOf(errorAt(t, errs, "page")); got != graph.CodeNotConnected {
			t.Errorf("code = %s, want NOT_CONNECTED", got)
		}
	})
}

// The presenter logs an upstream error of an unknown class by route and status only: its text
// (which a proxy may have filled with the request's credentials) reaches neither the client nor
// the log.
func TestErrorPresenterLogsNoUpstreamText(t *testing.T) {
	var logged bytes.Buffer
	present := graph.NewErrorPresenter(slog.New(slog.NewTextHandler(&logged, nil)))
	up := &confluence.Error{Status: 418, Code: "ECHO Basic c2VjcmV0", Message: "you sent Authorization: Basic c2VjcmV0",
		Endpoint: "GET /wiki/api/v2/pages/{id}"}
	ge := present(context.Background(), fmt.Errorf("graph: page: %w", up))
	if ge.Message != "internal error" {
		t.Errorf("message = %q, want internal error", ge.Message)
	}
	if out := logged.String(); strings.Contains(out, "c2VjcmV0") || !strings.Contains(out, "GET /wiki/api/v2/pages/{id}") || !strings.Contains(out, "418") {
		t.Errorf("log = %q, want the route and status without the upstream text", out)
	}
}

// A refusal by the client's own queue (nothing sent) is RATE_LIMITED with the wait, and does not
// claim that Confluence answered 429.
func TestErrorPresenterLocalRateLimit(t *testing.T) {
	present := graph.NewErrorPresenter(slog.New(slog.DiscardHandler))
	for _, tt := range []struct {
		local bool
		want  string
	}{{true, "too many Confluence requests of this tenant are waiting"}, {false, "Confluence rate-limited this tenant"}} {
		ge := present(context.Background(), fmt.Errorf("graph: page: %w", &confluence.RateLimitError{RetryAfter: 2500 * time.Millisecond, Local: tt.local}))
		if ge.Extensions["code"] != graph.CodeRateLimited || ge.Extensions["retryAfterSeconds"] != 3 || !strings.Contains(ge.Message, tt.want) {
			t.Errorf("local=%t: %q %v, want RATE_LIMITED, retryAfterSeconds 3 and %q", tt.local, ge.Message, ge.Extensions, tt.want)
		}
	}
}
