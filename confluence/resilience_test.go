package confluence_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

const pageJSON = `{"id":"1","status":"current","title":"One","spaceId":"10","createdAt":"2026-07-03T13:48:15.974Z","version":{"number":3,"createdAt":1751550495974},"body":{},"_links":{"base":"http://x/wiki"}}`

// failThen answers the first len(statuses) requests with those statuses
// (and retryAfter, if set), then 200 with pageJSON.
func failThen(retryAfter string, statuses ...int) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("Content-Type", "application/json")
		if i < len(statuses) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(statuses[i])
			_, _ = w.Write([]byte(`{"statusCode":` + strconv.Itoa(statuses[i]) + `,"message":"try later"}`))
			return
		}
		_, _ = w.Write([]byte(pageJSON))
	})
}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		statuses   []int
		retryAfter string
		maxRetries int
		wantErr    error // nil: success expected
		wantCalls  int64
	}{
		{name: "429 then success", statuses: []int{429}, wantCalls: 2},
		{name: "502 503 504 then success", statuses: []int{502, 503, 504}, wantCalls: 4},
		{name: "500 is not retried", statuses: []int{500}, wantErr: confluence.ErrUnavailable, wantCalls: 1},
		{name: "400 is not retried", statuses: []int{400}, wantCalls: 1, wantErr: errAny},
		{name: "401 is not retried", statuses: []int{401}, wantErr: confluence.ErrUnauthorized, wantCalls: 1},
		{name: "403 is not retried", statuses: []int{403}, wantErr: confluence.ErrForbidden, wantCalls: 1},
		{name: "404 is not retried", statuses: []int{404}, wantErr: confluence.ErrNotFound, wantCalls: 1},
		{name: "retries exhausted on 503", statuses: []int{503, 503, 503, 503, 503}, wantErr: confluence.ErrUnavailable, wantCalls: 4},
		{name: "retries exhausted on 429", statuses: []int{429, 429, 429, 429, 429}, retryAfter: "1", wantErr: confluence.ErrRateLimited, wantCalls: 4},
		{name: "Retry-After beyond MaxRetryAfter fails fast", statuses: []int{429}, retryAfter: "3600", wantErr: confluence.ErrRateLimited, wantCalls: 1},
		{name: "retries disabled", statuses: []int{503}, maxRetries: -1, wantErr: confluence.ErrUnavailable, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := newTestClient(t, failThen(tt.retryAfter, tt.statuses...), func(o *confluence.Options) {
				if tt.maxRetries != 0 {
					o.MaxRetries = tt.maxRetries
				}
			})
			p, _, err := c.Pages.Get(t.Context(), "1", nil)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Get: %v, want success", err)
			case tt.wantErr == nil && p.Title != "One":
				t.Errorf("Title = %q, want %q", p.Title, "One")
			case tt.wantErr == errAny && err == nil:
				t.Error("got nil error, want one")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			srv.wantRequests(t, "requests", tt.wantCalls)
		})
	}
}

var errAny = errors.New("any error")

// TestRetryAfterIsAMinimum checks that a retry waits at least Retry-After
// (seconds or HTTP date) and that nothing was sent during the wait.
func TestRetryAfterIsAMinimum(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		want       time.Duration
	}{
		{name: "seconds", retryAfter: "4", want: 4 * time.Second},
		{name: "HTTP date", retryAfter: now.Add(9 * time.Second).Format(http.TimeFormat), want: 9 * time.Second},
		{name: "fractional seconds", retryAfter: "2.5", want: 2500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var srv *counting
			var mu sync.Mutex
			var waits []time.Duration
			var sentDuringWait int64
			c, s, _ := newTestClient(t, failThen(tt.retryAfter, 429), func(o *confluence.Options) {
				o.Now = func() time.Time { return now }
				o.Jitter = func() float64 { return 0 } // backoff 0: the wait is Retry-After alone
				o.Sleep = func(ctx context.Context, d time.Duration) error {
					mu.Lock()
					defer mu.Unlock()
					waits = append(waits, d)
					sentDuringWait = srv.n.Load()
					return nil
				}
			})
			srv = s
			if _, _, err := c.Pages.Get(t.Context(), "1", nil); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if len(waits) != 1 {
				t.Fatalf("waits = %v, want one", waits)
			}
			if waits[0] < tt.want {
				t.Errorf("wait = %v, want at least %v", waits[0], tt.want)
			}
			if got, want := sentDuringWait, int64(1); got != want {
				t.Errorf("requests sent before the wait ended = %d, want %d", got, want)
			}
			srv.wantRequests(t, "requests", 2)
		})
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	c, _, sl := newTestClient(t, failThen("", 503, 503, 503, 503, 503, 503), func(o *confluence.Options) {
		o.MaxRetries = 5
		o.RetryBaseDelay = 100 * time.Millisecond
		o.RetryMaxDelay = 300 * time.Millisecond
		o.Jitter = func() float64 { return 0.999 }
		o.BreakerFailures = 100
	})
	if _, _, err := c.Pages.Get(t.Context(), "1", nil); !errors.Is(err, confluence.ErrUnavailable) {
		t.Fatalf("error %v, want ErrUnavailable", err)
	}
	waits := sl.all()
	if len(waits) != 5 {
		t.Fatalf("waits = %v, want 5", waits)
	}
	ceilings := []time.Duration{100, 200, 300, 300, 300}
	for i, w := range waits {
		ceil := ceilings[i] * time.Millisecond
		if w > ceil || w < ceil*9/10 {
			t.Errorf("wait %d = %v, want just under %v", i, w, ceil)
		}
	}
}

func TestRetryAfterBeyondDeadlineFailsFast(t *testing.T) {
	t.Parallel()
	c, srv, sl := newTestClient(t, failThen("20", 429), nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, _, err := c.Pages.Get(ctx, "1", nil)
	var rl *confluence.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("error %v, want *RateLimitError", err)
	}
	if got, want := rl.RetryAfter, 20*time.Second; got != want {
		t.Errorf("RetryAfter = %v, want %v", got, want)
	}
	srv.wantRequests(t, "requests", 1)
	if len(sl.all()) != 0 {
		t.Errorf("waited %v, want no wait", sl.all())
	}
}

func TestRetryBudget(t *testing.T) {
	t.Parallel()
	h := failThen("", 503, 503, 503, 503, 503, 503, 503, 503, 503, 503)
	c, srv, _ := newTestClient(t, h, func(o *confluence.Options) {
		o.RetryBudgetMax = 1
		o.RetryBudgetRatio = 0.01
		o.BreakerFailures = 100
	})
	// First call: one retry allowed by the budget, then it is empty.
	if _, _, err := c.Pages.Get(t.Context(), "1", nil); !errors.Is(err, confluence.ErrUnavailable) {
		t.Fatalf("first call error %v, want ErrUnavailable", err)
	}
	srv.wantRequests(t, "requests after first call", 2)
	if _, _, err := c.Pages.Get(t.Context(), "1", nil); !errors.Is(err, confluence.ErrUnavailable) {
		t.Fatalf("second call error %v, want ErrUnavailable", err)
	}
	// No retry left in the budget.
	srv.wantRequests(t, "requests after second call", 3)
}

func TestBreakerOpensOn5xxAndRecovers(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !healthy.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(pageJSON))
	})
	var mu sync.Mutex
	var changes []string
	c, srv, _ := newTestClient(t, h, func(o *confluence.Options) {
		o.MaxRetries = -1
		o.BreakerFailures = 3
		o.BreakerTimeout = 30 * time.Millisecond
		o.OnBreakerChange = func(_, from, to string) {
			mu.Lock()
			changes = append(changes, from+"->"+to)
			mu.Unlock()
		}
	})
	failGets(t, c, 3, confluence.ErrUnavailable)
	if got, want := c.BreakerState(), "open"; got != want {
		t.Fatalf("breaker = %s, want %s", got, want)
	}
	before := srv.n.Load()
	_, _, err := c.Pages.Get(t.Context(), "1", nil)
	var ce *confluence.Error
	if !errors.As(err, &ce) || ce.Code != "CIRCUIT_OPEN" || !errors.Is(err, confluence.ErrUnavailable) {
		t.Fatalf("error %v, want CIRCUIT_OPEN matching ErrUnavailable", err)
	}
	if got := srv.n.Load(); got != before {
		t.Errorf("requests while open = %d, want %d (none sent)", got, before)
	}
	healthy.Store(true)
	time.Sleep(60 * time.Millisecond) // longer than BreakerTimeout: the next call is the half-open probe
	if _, _, err := c.Pages.Get(t.Context(), "1", nil); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if got, want := c.BreakerState(), "closed"; got != want {
		t.Errorf("breaker = %s, want %s", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"closed->open", "open->half-open", "half-open->closed"}
	if len(changes) != len(want) {
		t.Fatalf("state changes %v, want %v", changes, want)
	}
	for i := range want {
		if changes[i] != want[i] {
			t.Errorf("state change %d = %s, want %s", i, changes[i], want[i])
		}
	}
}

func TestBreakerIgnores4xx(t *testing.T) {
	t.Parallel()
	c, srv, _ := newTestClient(t, jsonHandler(404, `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Cannot find a page with id [1]"}]}`), func(o *confluence.Options) {
		o.BreakerFailures = 2
	})
	failGets(t, c, 6, confluence.ErrNotFound)
	if got, want := c.BreakerState(), "closed"; got != want {
		t.Errorf("breaker = %s, want %s", got, want)
	}
	srv.wantRequests(t, "requests", 6)
}

// TestDeduplicatesConcurrentGETs: identical concurrent reads share one
// request, and one caller's cancellation does not fail the others.
func TestDeduplicatesConcurrentGETs(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 10)
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		arrived <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(pageJSON))
	})
	c, srv, _ := newTestClient(t, h, nil)

	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() {
		_, _, err := c.Pages.Get(leaderCtx, "1", nil)
		leaderErr <- err
	}()
	<-arrived // the shared request is in flight
	const followers = 4
	var wg sync.WaitGroup
	titles := make([]string, followers)
	errs := make([]error, followers)
	for i := range followers {
		wg.Go(func() {
			p, _, err := c.Pages.Get(t.Context(), "1", nil)
			errs[i] = err
			if p != nil {
				titles[i] = p.Title
			}
		})
	}
	// Give followers a moment to join the in-flight call; joining late would
	// only add requests, which the count below would catch.
	time.Sleep(50 * time.Millisecond)
	cancelLeader()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error %v, want context.Canceled", err)
	}
	close(release)
	wg.Wait()
	for i := range followers {
		if errs[i] != nil || titles[i] != "One" {
			t.Errorf("follower %d: title %q, error %v; want One, nil", i, titles[i], errs[i])
		}
	}
	srv.wantRequests(t, "requests", 1)
}

func TestConcurrencyLimit(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(pageJSON))
	})
	c, _, _ := newTestClient(t, h, func(o *confluence.Options) { o.MaxConcurrency = 2 })
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, _, err := c.Pages.Get(t.Context(), strconv.Itoa(i), nil); err != nil {
				t.Errorf("Get: %v", err)
			}
		})
	}
	wg.Wait()
	if got := peak.Load(); got > 2 {
		t.Errorf("peak in-flight = %d, want at most 2", got)
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	c, srv, _ := newTestClient(t, silentHandler(t), func(o *confluence.Options) {
		o.AttemptTimeout = 50 * time.Millisecond
		o.MaxRetries = 2
		o.BreakerFailures = 100
	})
	_, _, err := c.Pages.Get(t.Context(), "1", nil)
	if !errors.Is(err, confluence.ErrTimeout) {
		t.Fatalf("error %v, want ErrTimeout", err)
	}
	// Attempt timeouts are retried.
	srv.wantRequests(t, "requests", 3)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	c2, _, _ := newTestClient(t, silentHandler(t), nil)
	if _, _, err := c2.Pages.Get(ctx, "1", nil); !errors.Is(err, confluence.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want ErrTimeout wrapping context.DeadlineExceeded", err)
	}
}

func TestOnRequestReportsRoutePatterns(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	c, _, _ := newTestClient(t, failThen("", 503), func(o *confluence.Options) {
		o.OnRequest = func(endpoint string, status int, _ time.Duration) {
			mu.Lock()
			seen = append(seen, endpoint+" "+strconv.Itoa(status))
			mu.Unlock()
		}
	})
	if _, _, err := c.Pages.Get(t.Context(), "4242", nil); err != nil {
		t.Fatalf("Get: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"GET /wiki/api/v2/pages/{id} 503", "GET /wiki/api/v2/pages/{id} 200"}
	if len(seen) != len(want) || seen[0] != want[0] || seen[1] != want[1] {
		t.Errorf("OnRequest calls %v, want %v", seen, want)
	}
}
