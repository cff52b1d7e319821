package confluence_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// attemptKey marks the context Attempt returned, so the test sees that
// the wrapped transport sends each attempt with it.
type attemptKey struct{}

// recordingTracer records every attempt as its transport sees it.
type recordingTracer struct {
	mu   sync.Mutex
	sent []string // route and retry of each request the transport saw
}

func (r *recordingTracer) Transport(base http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		r.mu.Lock()
		r.sent = append(r.sent, req.Context().Value(attemptKey{}).(string))
		r.mu.Unlock()
		return base.RoundTrip(req)
	})
}

func (r *recordingTracer) Attempt(ctx context.Context, route string, retry int, wait time.Duration) context.Context {
	if wait < 0 {
		panic("negative queue wait")
	}
	return context.WithValue(ctx, attemptKey{}, route+" retry "+strconv.Itoa(retry))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTracerSeesEveryAttempt: the Tracer's transport sends every attempt,
// retries included, with the context Attempt returned for it, which names
// the route template, not the URL.
func TestTracerSeesEveryAttempt(t *testing.T) {
	t.Parallel()
	tr := &recordingTracer{}
	c, calls, _ := newTestClient(t, failThen("", 429, 503), func(o *confluence.Options) { o.Tracer = tr })
	if _, _, err := c.Pages.Get(t.Context(), "42", nil); err != nil {
		t.Fatal(err)
	}
	calls.wantRequests(t, "requests", 3)
	want := []string{"/wiki/api/v2/pages/{id} retry 0", "/wiki/api/v2/pages/{id} retry 1", "/wiki/api/v2/pages/{id} retry 2"}
	if len(tr.sent) != len(want) {
		t.Fatalf("the tracer's transport saw %q, want %q", tr.sent, want)
	}
	for i := range want {
		if tr.sent[i] != want[i] {
			t.Errorf("attempt %d: %q, want %q", i, tr.sent[i], want[i])
		}
	}
}
