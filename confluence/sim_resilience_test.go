package confluence_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// attemptLog records every HTTP attempt's start and end (client side).
type attemptLog struct{ recorder[attempt] }

type attempt struct {
	status     int
	start, end time.Time
}

func (l *attemptLog) onRequest(_ string, status int, d time.Duration) {
	end := time.Now()
	l.add(attempt{status: status, start: end.Add(-d), end: end})
}

// TestSimNoRequestBeforeRetryAfter: after a 429 the next request is sent
// only once Retry-After has passed (seconds or HTTP date), and nothing
// reaches the simulator during the wait.
func TestSimNoRequestBeforeRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		retryAfter func() (string, time.Time) // header value and the earliest allowed retry
	}{
		{"seconds", func() (string, time.Time) { return "1", time.Time{} }},
		{"HTTP date", func() (string, time.Time) {
			at := time.Now().Add(2 * time.Second).Truncate(time.Second)
			return at.UTC().Format(http.TimeFormat), at
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := newSim(t, 0)
			log := &attemptLog{}
			var mu sync.Mutex
			var before, after int
			c := simClient(t, sim, "classic", confluence.TokenClassic, func(o *confluence.Options) {
				o.OnRequest = log.onRequest
				o.Sleep = func(ctx context.Context, d time.Duration) error {
					mu.Lock()
					before = sim.Stats().Total
					mu.Unlock()
					time.Sleep(d) // a real wait: the test measures the gap
					mu.Lock()
					after = sim.Stats().Total
					mu.Unlock()
					return nil
				}
			})
			value, notBefore := tt.retryAfter()
			sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: value, PathPrefix: "/wiki/api/v2/pages"})
			p, _, err := c.Pages.Get(t.Context(), homeID, nil)
			if err != nil || p.Title != "Home" {
				t.Fatalf("Get = %+v, %v; want Home after one retry", p, err)
			}
			st := sim.Stats()
			if st.Total != 2 || st.ByStatus[429] != 1 || st.Faults != 1 {
				t.Errorf("simulator saw total %d, 429s %d, faults %d; want 2, 1, 1", st.Total, st.ByStatus[429], st.Faults)
			}
			mu.Lock()
			if before != 1 || after != 1 {
				t.Errorf("requests at the start and end of the wait = %d, %d; want 1, 1", before, after)
			}
			mu.Unlock()
			at := log.all()
			if len(at) != 2 || at[0].status != 429 || at[1].status != 200 {
				t.Fatalf("attempts = %+v, want 429 then 200", at)
			}
			if gap := at[1].start.Sub(at[0].end); gap < time.Second {
				t.Errorf("retry sent %v after the 429, want at least 1s", gap)
			}
			if !notBefore.IsZero() && at[1].start.Before(notBefore) {
				t.Errorf("retry sent at %v, before Retry-After %v", at[1].start, notBefore)
			}
		})
	}
}

// TestSimRateLimited: the simulator's own token bucket answers 429 with
// Retry-After; the client waits it out and every call succeeds.
func TestSimRateLimited(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 0)
	sim.SetRateLimit(1, 1)
	c := simClient(t, sim, "classic", confluence.TokenClassic, nil)
	for range 2 {
		if _, _, err := c.Pages.Get(t.Context(), homeID, nil); err != nil {
			t.Fatalf("Get: %v", err)
		}
	}
	st := sim.Stats()
	if st.ByStatus[429] != 1 || st.ByStatus[200] != 2 {
		t.Errorf("statuses = %v, want one 429 and two 200", st.ByStatus)
	}
}

// TestSimClientRateLimiter: the client's own limiter refuses to wait past
// the deadline, so nothing is sent, and says so with a local
// *RateLimitError carrying the wait (never a timeout).
func TestSimClientRateLimiter(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, func(o *confluence.Options) {
		o.RateLimit = 0.5 // one request per 2s
		o.RateBurst = 1
	})
	if _, _, err := c.Pages.Get(t.Context(), homeID, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, _, err := c.Pages.Get(ctx, "3002", nil)
	var rl *confluence.RateLimitError
	if !errors.As(err, &rl) || !rl.Local || rl.RetryAfter <= 0 || rl.RetryAfter > 2*time.Second {
		t.Errorf("error %v, want a local *RateLimitError with RetryAfter in (0, 2s]", err)
	}
	if got := sim.Stats().Total; got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

// TestSimRetriesTransientFaults: 502, 504 and a reset connection are
// retried; a 500 is not.
func TestSimRetriesTransientFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		faults    []confluencetest.Fault
		wantErr   error
		wantTotal int
	}{
		{"502 504 reset then success", []confluencetest.Fault{
			{Kind: confluencetest.FaultStatus, Status: 502},
			{Kind: confluencetest.FaultStatus, Status: 504},
			{Kind: confluencetest.FaultReset},
		}, nil, 4},
		{"503 with Retry-After then success", []confluencetest.Fault{{Kind: confluencetest.FaultStatus, Status: 503, RetryAfter: "0"}}, nil, 2},
		{"hang is cut by the attempt timeout and retried", []confluencetest.Fault{{Kind: confluencetest.FaultHang}}, nil, 2},
		{"500 is not retried", []confluencetest.Fault{{Kind: confluencetest.FaultStatus, Status: 500}}, confluence.ErrUnavailable, 1},
		{"retries give up after MaxRetries", []confluencetest.Fault{
			{Kind: confluencetest.FaultStatus, Status: 503}, {Kind: confluencetest.FaultStatus, Status: 503},
			{Kind: confluencetest.FaultStatus, Status: 503}, {Kind: confluencetest.FaultStatus, Status: 503},
		}, confluence.ErrUnavailable, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim, c := simPair(t, 0, "classic", confluence.TokenClassic, func(o *confluence.Options) {
				o.AttemptTimeout = 200 * time.Millisecond
				o.RetryBaseDelay = time.Millisecond
				o.BreakerFailures = 100
			})
			sim.InjectFaults(tt.faults...)
			p, _, err := c.Pages.Get(t.Context(), homeID, nil)
			switch {
			case tt.wantErr == nil && (err != nil || p.Title != "Home"):
				t.Errorf("Get = %+v, %v; want Home", p, err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if got := sim.Stats().Total; got != tt.wantTotal {
				t.Errorf("requests = %d, want %d", got, tt.wantTotal)
			}
		})
	}
}

// TestSimBreakerOpensAndRecovers: consecutive 503s open the breaker; while
// open nothing reaches the simulator; after the open period a probe goes
// through and closes it.
func TestSimBreakerOpensAndRecovers(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, func(o *confluence.Options) {
		o.MaxRetries = -1
		o.BreakerFailures = 3
		o.BreakerTimeout = 50 * time.Millisecond
	})
	sim.InjectFaults(
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503},
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503},
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503},
	)
	for i := range 3 {
		if _, _, err := c.Pages.Get(t.Context(), homeID, nil); !errors.Is(err, confluence.ErrUnavailable) {
			t.Fatalf("call %d: error %v, want ErrUnavailable", i, err)
		}
	}
	if got := c.BreakerState(); got != "open" {
		t.Fatalf("breaker = %s, want open", got)
	}
	for _, call := range []func() error{
		func() error { _, _, err := c.Pages.Get(t.Context(), homeID, nil); return err },
		func() error {
			_, _, err := c.Search.CQL(t.Context(), &confluence.SearchOptions{CQL: "type = page"})
			return err
		},
	} {
		if err := call(); !errors.Is(err, confluence.ErrUnavailable) {
			t.Errorf("while open: error %v, want ErrUnavailable", err)
		}
	}
	if got := sim.Stats().Total; got != 3 {
		t.Errorf("requests = %d, want 3 (none while open)", got)
	}
	time.Sleep(100 * time.Millisecond) // past BreakerTimeout: the next call is the half-open probe
	if _, _, err := c.Pages.Get(t.Context(), homeID, nil); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if got := c.BreakerState(); got != "closed" {
		t.Errorf("breaker = %s, want closed", got)
	}
	if got := sim.Stats().Total; got != 4 {
		t.Errorf("requests = %d, want 4", got)
	}
}

// TestSimDeduplicatesConcurrentReads: identical concurrent GETs cost one
// upstream request.
func TestSimDeduplicatesConcurrentReads(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 0)
	sim.SetLatency(500*time.Millisecond, 0)
	c := simClient(t, sim, "classic", confluence.TokenClassic, nil)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			_, _, errs[i] = c.Pages.Get(t.Context(), homeID, &confluence.PageGetOptions{BodyFormat: confluence.FormatStorage})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	wantCalls(t, sim, "GET /wiki/api/v2/pages/{id}", 1)
}
