package confluence_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

const (
	testEmail = "bot@example.com"
	testToken = "tok-SECRET-1234567890"
)

// counting wraps a handler and counts the requests it receives.
type counting struct {
	h http.Handler
	n atomic.Int64
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

// silentHandler never answers: each request waits until its context ends
// (the client gave up) or the test does.
func silentHandler(t *testing.T) http.Handler {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	})
}

// wantErrorMatch stops t unless err is an error, and fails it unless err matches (errors.Is)
// every error of want and none of notWant; nil entries are skipped.
func wantErrorMatch(t *testing.T, err error, want, notWant []error) {
	t.Helper()
	if err == nil {
		t.Fatal("got nil error, want one")
	}
	for _, w := range want {
		if w != nil && !errors.Is(err, w) {
			t.Errorf("error %v does not match %v", err, w)
		}
	}
	for _, nw := range notWant {
		if nw != nil && errors.Is(err, nw) {
			t.Errorf("error %v matches %v", err, nw)
		}
	}
}

// failGets calls c.Pages.Get n times and stops t unless every call fails with an error
// matching want.
func failGets(t *testing.T, c *confluence.Client, n int, want error) {
	t.Helper()
	for range n {
		if _, _, err := c.Pages.Get(t.Context(), "1", nil); !errors.Is(err, want) {
			t.Fatalf("error %v, want %v", err, want)
		}
	}
}

// wantRequests fails t unless c has served want requests; what names them
// in the message.
func (c *counting) wantRequests(t *testing.T, what string, want int64) {
	t.Helper()
	if got := c.n.Load(); got != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}

// newTestClient starts h on a loopback httptest server that the client is
// allowed to reach as its development host, through the production
// (guarded) transport. Retry waits are recorded, not slept.
func newTestClient(t *testing.T, h http.Handler, mod func(*confluence.Options)) (*confluence.Client, *counting, *sleeps) {
	t.Helper()
	ch := &counting{h: h}
	srv := httptest.NewServer(ch)
	t.Cleanup(srv.Close)
	host := srv.Listener.Addr().String()
	sl := &sleeps{}
	o := confluence.Options{
		Site:           host,
		AllowedDevHost: host,
		GatewayURL:     "http://" + host,
		Email:          testEmail,
		Token:          testToken,
		TokenType:      confluence.TokenClassic,
		RateLimit:      -1,
		Sleep:          sl.sleep,
		Jitter:         func() float64 { return 0.5 },
	}
	if mod != nil {
		mod(&o)
	}
	c, err := confluence.NewClient(o)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, ch, sl
}

// recorder collects values from concurrent callers.
type recorder[T any] struct {
	mu    sync.Mutex
	items []T
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items = append(r.items, v)
}

// all returns a copy of the values added so far.
func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.items...)
}

// sleeps records the retry waits a client asked for.
type sleeps struct{ recorder[time.Duration] }

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.add(d)
	return ctx.Err()
}

// jsonHandler answers every request with status and body.
func jsonHandler(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

// isLocalRefusal reports whether err is a *RateLimitError for a call the
// client did not send (its own queue was too long).
func isLocalRefusal(err error) bool {
	var rl *confluence.RateLimitError
	return errors.As(err, &rl) && rl.Local && errors.Is(err, confluence.ErrRateLimited)
}
