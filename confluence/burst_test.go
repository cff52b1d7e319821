package confluence_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

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

	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak.Store(max(peak.Load(), int64(runtime.NumGoroutine())))
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()

	var completed, refused atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, burst)
	for i := range burst {
		wg.Go(func() {
			// An operation's timeout, far shorter than the 12 s the burst's
			// 600 calls need at 50/s.
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			id := strconv.Itoa(10000 + i)
			err := nested(ctx, c, id)
			var rl *confluence.RateLimitError
			switch {
			case err == nil:
				completed.Add(1)
			case errors.As(err, &rl) && rl.Local && rl.RetryAfter > 0:
				refused.Add(1)
			default:
				errs <- err
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	close(errs)
	for err := range errs {
		t.Errorf("call ended with %v (timeout: %v), want success or a local *RateLimitError", err, errors.Is(err, confluence.ErrTimeout))
	}
	if completed.Load() == 0 || refused.Load() == 0 {
		t.Errorf("completed %d, refused %d; want both (the burst exceeds what the limiter grants in MaxQueueWait)",
			completed.Load(), refused.Load())
	}
	if got := peak.Load(); got >= 5000 {
		t.Errorf("peak goroutines = %d, want under 5,000", got)
	}
	t.Logf("completed %d, refused %d, upstream requests %d, peak goroutines %d",
		completed.Load(), refused.Load(), sim.Stats().Total, peak.Load())
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
