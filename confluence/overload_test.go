package confluence_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// fakeClock is a clock that only its Sleep moves; it records each sleep
// and how many requests the simulator had served when it began.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	served []int
	total  func() int
}

func newFakeClock(total func() int) *fakeClock {
	return &fakeClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), total: total}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.served = append(f.served, f.total())
	f.now = f.now.Add(d)
	return ctx.Err()
}

// wantOneWait fails t unless the clock slept exactly once, for d, when
// the server had answered one request.
func (f *fakeClock) wantOneWait(t *testing.T, d time.Duration) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sleeps) != 1 || f.sleeps[0] != d || f.served[0] != 1 {
		t.Errorf("waits %v with %v requests served at their start; want one wait of %v after 1 request", f.sleeps, f.served, d)
	}
}

// TestSimRetryAfterPausesTheSite: a 429 with Retry-After pauses every call
// to the site, not only the one that got it. A later call whose deadline
// ends before the pause does is refused at once with a local
// *RateLimitError carrying the remaining pause; one with time to spare
// waits the pause out before anything is sent (MaxQueueWait, which bounds
// waits for the client's own capacity, does not cut a pause short).
func TestSimRetryAfterPausesTheSite(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 0)
	clock := newFakeClock(func() int { return sim.Stats().Total })
	c := simClient(t, sim, "classic", confluence.TokenClassic, func(o *confluence.Options) {
		o.MaxRetries = -1
		o.MaxQueueWait = -1 // no wait for capacity; the pause is still waited out
		o.Now, o.Sleep = clock.Now, clock.Sleep
	})
	sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "2", PathPrefix: "/wiki/api/v2/pages"})

	_, _, err := c.Pages.Get(t.Context(), homeID, nil)
	var rl *confluence.RateLimitError
	if !errors.As(err, &rl) || rl.Local {
		t.Fatalf("first call: error %v, want Confluence's 429 as a *RateLimitError", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, _, err = c.Pages.Get(ctx, "3002", nil)
	if !errors.As(err, &rl) || !rl.Local || rl.RetryAfter != 2*time.Second || rl.Reason != "confluence-burst-based" {
		t.Errorf("call with a 1s deadline: error %v (%+v), want a local *RateLimitError with RetryAfter 2s and the 429's reason", err, rl)
	}
	if got := sim.Stats().Total; got != 1 {
		t.Errorf("requests after the refused call = %d, want 1 (nothing sent during the pause)", got)
	}

	if _, _, err := c.Pages.Get(t.Context(), "3003", nil); err != nil {
		t.Fatalf("call with time to spare: %v", err)
	}
	clock.wantOneWait(t, 2*time.Second)
	if got := sim.Stats().Total; got != 2 {
		t.Errorf("requests = %d, want 2", got)
	}
}

// TestResetHeaderPausesTheSite: a 429 without Retry-After but with
// X-RateLimit-Reset pauses the site until that time.
func TestResetHeaderPausesTheSite(t *testing.T) {
	t.Parallel()
	var srv *counting
	clock := newFakeClock(func() int { return int(srv.n.Load()) })
	reset := clock.Now().Add(3 * time.Second).Format(time.RFC3339)
	var first sync.Once
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		throttled := false
		first.Do(func() { throttled = true })
		if throttled {
			w.Header().Set("X-RateLimit-Reset", reset)
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(pageJSON))
	})
	c, s, _ := newTestClient(t, h, func(o *confluence.Options) {
		o.MaxRetries = -1
		o.Now, o.Sleep = clock.Now, clock.Sleep
	})
	srv = s
	if _, _, err := c.Pages.Get(t.Context(), "1", nil); !errors.Is(err, confluence.ErrRateLimited) {
		t.Fatalf("first call: error %v, want ErrRateLimited", err)
	}
	if _, _, err := c.Pages.Get(t.Context(), "2", nil); err != nil {
		t.Fatalf("second call: %v", err)
	}
	clock.wantOneWait(t, 3*time.Second)
	srv.wantRequests(t, "requests", 2)
}

// TestRetryBudgetCoversTheBurst: a storm of 429s answering as many calls
// as the rate limiter's burst (the default 50, all sent at once) gets
// every call retried: the default retry budget holds at least the burst.
func TestRetryBudgetCoversTheBurst(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]bool{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		again := seen[r.URL.Path]
		seen[r.URL.Path] = true
		mu.Unlock()
		if !again {
			w.WriteHeader(http.StatusTooManyRequests) // no Retry-After: no pause, backoff only
			return
		}
		_, _ = w.Write([]byte(pageJSON))
	})
	c, srv, _ := newTestClient(t, h, func(o *confluence.Options) {
		o.RateLimit = 0 // the default adaptive limiter and its burst
	})
	const calls = confluence.DefaultRateBurst
	var wg sync.WaitGroup
	errs := make([]error, calls)
	for i := range calls {
		wg.Go(func() { _, _, errs[i] = c.Pages.Get(t.Context(), strconv.Itoa(i+1), nil) })
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed != 0 {
		t.Errorf("%d of %d calls failed, want every 429 retried", failed, calls)
	}
	srv.wantRequests(t, "requests", 2*calls)
}

// TestSimNearLimitSlowsTheRate: answers carrying X-RateLimit-NearLimit
// (the simulator sends it when less than 20% of its bucket is left) cut
// the adaptive rate by NearLimitFactor, once per CutInterval; RateFixed
// keeps it.
func TestSimNearLimitSlowsTheRate(t *testing.T) {
	t.Parallel()
	for _, fixed := range []bool{false, true} {
		want := 50 * confluence.NearLimitFactor
		if fixed {
			want = 50
		}
		t.Run("fixed="+strconv.FormatBool(fixed), func(t *testing.T) {
			t.Parallel()
			sim := newSim(t, 0)
			sim.SetRateLimit(0.001, 10)
			clock := newFakeClock(func() int { return sim.Stats().Total })
			c := simClient(t, sim, "classic", confluence.TokenClassic, func(o *confluence.Options) {
				o.RateLimit, o.RateFixed = 50, fixed
				o.Now, o.Sleep = clock.Now, clock.Sleep
			})
			if got := c.Rate(); got != 50 {
				t.Fatalf("initial rate %v, want 50", got)
			}
			for i := range 10 { // the last two answers are near the limit
				if _, _, err := c.Pages.Get(t.Context(), strconv.Itoa(3002+i), nil); err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
			}
			if got := c.Rate(); got != want {
				t.Errorf("rate after near-limit answers = %v, want %v", got, want)
			}
			if got := sim.Stats().Total; got != 10 {
				t.Errorf("requests = %d, want 10", got)
			}
		})
	}
}

// TestSimBurstIsRefusedEarlyNotTimedOut: 200 concurrent nested-ish calls
// (a page, then its labels and children) of one tenant against a small
// rate limit: none ends as a timeout; each either completes or is refused
// early with a local *RateLimitError that carries a wait, and nothing
// refused was sent. Goroutines stay bounded (sampled, not timed).
func TestSimBurstIsRefusedEarlyNotTimedOut(t *testing.T) {
	t.Parallel()
	const burst = 200
	sim, c := simPair(t, burst, "classic", confluence.TokenClassic, func(o *confluence.Options) {
		o.RateLimit, o.RateBurst = 50, 20
		o.MaxQueueWait = 300 * time.Millisecond
	})
	sim.SetLatency(2*time.Millisecond, 0)

	stop := make(chan struct{})
	peak := make(chan int, 1)
	go func() { // the only writer of its local maximum
		most := 0
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			most = max(most, runtime.NumGoroutine())
			select {
			case <-stop:
				peak <- most
				return
			case <-tick.C:
			}
		}
	}()

	var wg sync.WaitGroup
	errs := make([]error, burst)
	for i := range burst {
		wg.Go(func() {
			// An operation's timeout, far shorter than the 12 s the burst's
			// 600 calls need at 50/s.
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			errs[i] = nested(ctx, c, strconv.Itoa(10000+i))
		})
	}
	wg.Wait()
	close(stop)
	most := <-peak
	completed, refused := 0, 0
	for _, err := range errs {
		var rl *confluence.RateLimitError
		switch {
		case err == nil:
			completed++
		case errors.As(err, &rl) && rl.Local && rl.RetryAfter > 0:
			refused++
		default:
			t.Errorf("call ended with %v (timeout: %v), want success or a local *RateLimitError", err, errors.Is(err, confluence.ErrTimeout))
		}
	}
	if completed == 0 || refused == 0 {
		t.Errorf("completed %d, refused %d; want both (the burst exceeds what the limiter grants in MaxQueueWait)", completed, refused)
	}
	if most >= 5000 {
		t.Errorf("peak goroutines = %d, want under 5,000", most)
	}
	t.Logf("completed %d, refused %d, upstream requests %d, peak goroutines %d", completed, refused, sim.Stats().Total, most)
}

// nested reads a page, then its labels and its children, like one branch
// of a nested GraphQL query.
func nested(ctx context.Context, c *confluence.Client, id string) error {
	if _, _, err := c.Pages.Get(ctx, id, nil); err != nil {
		return err
	}
	if _, _, err := c.Labels.ListForPage(ctx, id, nil); err != nil {
		return err
	}
	_, _, err := c.Pages.ListDirectChildren(ctx, id, nil)
	return err
}
