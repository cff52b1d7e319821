package confluence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// slotRetryAfter is the RetryAfter of a call refused because every
// in-flight slot stayed busy: the client cannot know when one frees up.
const slotRetryAfter = time.Second

// admit lets one HTTP attempt start: it waits out the site's pause (set by
// an earlier 429) if that ends before ctx's deadline, then for an
// in-flight slot and the rate limiter for at most Options.MaxQueueWait
// (and not past ctx's deadline). A wait known up front to exceed its limit
// is not started: admit returns a *RateLimitError with Local set and
// RetryAfter the wait at once, so time spent in this client's own queue
// never turns into a timeout. waited is the end of a pause the caller has
// already waited out (a retry after the 429 that set it). The returned
// release frees the slot.
func (c *Client) admit(ctx context.Context, req *request, waited time.Time) (release func(), err error) {
	var deadline time.Time
	for {
		until, reason := c.pause.get()
		if until.After(waited) {
			if err := c.waitPause(ctx, req, until, reason); err != nil {
				return nil, err
			}
			waited = until
		}
		if deadline.IsZero() { // the queue budget starts after the pause
			deadline = queueDeadline(ctx, c.opts.MaxQueueWait)
		}
		if err := c.acquireSlot(ctx, req, deadline); err != nil {
			return nil, err
		}
		// A 429 seen while this call waited for its slot pauses it too.
		if until, _ := c.pause.get(); until.After(waited) && until.After(c.opts.Now()) {
			c.sem.Release(1)
			continue
		}
		break
	}
	if err := c.waitRate(ctx, req, deadline); err != nil {
		c.sem.Release(1)
		return nil, err
	}
	return func() { c.sem.Release(1) }, nil
}

// queueDeadline is when an attempt must have left the queue: after
// maxWait, and before ctx's deadline by a tenth of the time left (at least
// minSendTime), so that a refusal reaches the caller before its deadline
// does and an attempt admitted at the last moment has time to be sent.
func queueDeadline(ctx context.Context, maxWait time.Duration) time.Time {
	now := time.Now()
	deadline := now.Add(maxWait)
	if dl, ok := ctx.Deadline(); ok {
		left := dl.Sub(now)
		if byCtx := dl.Add(-max(left/10, minSendTime)); byCtx.Before(deadline) {
			deadline = byCtx
		}
	}
	return deadline
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// minSendTime is the least time an attempt keeps for being sent after its
// queue wait.
const minSendTime = 20 * time.Millisecond

// localRefusal is the error of a call this client did not send because a
// wait in its own queue would have outlived the call's budget.
func localRefusal(req *request, wait time.Duration, reason string) *RateLimitError {
	return &RateLimitError{RetryAfter: wait, Reason: reason, Endpoint: req.endpoint(), Local: true}
}

// waitPause sleeps until the site's pause ends, or refuses the call at
// once when it ends after ctx's deadline (see queueDeadline).
func (c *Client) waitPause(ctx context.Context, req *request, until time.Time, reason string) error {
	d := until.Sub(c.opts.Now())
	if d <= 0 {
		return nil
	}
	if d > time.Until(queueDeadline(ctx, maxPause)) {
		return localRefusal(req, d, reason)
	}
	if err := c.sleep(ctx, d); err != nil {
		return &transportErr{err: err, callerDone: true}
	}
	return nil
}

// acquireSlot takes an in-flight slot, waiting until deadline at most.
func (c *Client) acquireSlot(ctx context.Context, req *request, deadline time.Time) error {
	if c.sem.TryAcquire(1) {
		return nil
	}
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if err := c.sem.Acquire(wctx, 1); err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			return &transportErr{err: ctx.Err(), callerDone: true}
		}
		return localRefusal(req, slotRetryAfter, "")
	}
	return nil
}

// retryAfterer is an error that says how long to wait before trying
// again; a shared Limiter's Wait may return one when a grant would come
// after the context's deadline.
type retryAfterer interface {
	error
	RetryAfter() time.Duration
}

// waitRate waits for one grant of the shared Limiter (keyed by site) when
// one is set, else of the in-process limiter, at most until deadline.
func (c *Client) waitRate(ctx context.Context, req *request, deadline time.Time) error {
	if c.shared != nil {
		// The shared Limiter needs a moment to answer, even for a grant
		// that is due at once.
		wctx, cancel := context.WithDeadline(ctx, later(deadline, time.Now().Add(minSendTime)))
		defer cancel()
		err := c.shared.Wait(wctx, c.site)
		var ra retryAfterer
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ra):
			return localRefusal(req, ra.RetryAfter(), "")
		case errors.Is(ctx.Err(), context.Canceled):
			return &transportErr{err: ctx.Err(), callerDone: true}
		case wctx.Err() != nil:
			return localRefusal(req, slotRetryAfter, "")
		default:
			return &transportErr{err: fmt.Errorf("confluence: rate limiter: %w", err), callerDone: true}
		}
	}
	now := c.opts.Now()
	if c.aimd != nil {
		c.limiter.SetLimitAt(now, rate.Limit(c.aimd.Rate(now)))
	}
	r := c.limiter.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if !r.OK() || d > 0 && d > time.Until(deadline) {
		r.CancelAt(now)
		if !r.OK() {
			d = slotRetryAfter
		}
		return localRefusal(req, d, "")
	}
	if d > 0 {
		if err := c.sleep(ctx, d); err != nil {
			r.Cancel()
			return &transportErr{err: err, callerDone: true}
		}
	}
	return nil
}

// observeThrottling applies a response's throttling signals: a 429 that
// names a time pauses every call to the site (this client's, and all
// users' of a shared Limiter that is a Pauser), and every signal slows
// the site's adaptive rate down (with a shared Limiter, its rate when it
// is a RateAdapter; without one, this client's own), unless
// Options.RateFixed.
func (c *Client) observeThrottling(ctx context.Context, raw *rawResponse) {
	now := c.opts.Now()
	if raw.status == 429 {
		if d, ok := pauseFor(raw.header, now); ok && d > 0 {
			c.pause.extend(now.Add(d), raw.header.Get("RateLimit-Reason"))
			if p, ok := c.shared.(Pauser); ok {
				_ = p.Pause(ctx, c.site, d) // best effort: this replica's pause holds regardless
			}
		}
	}
	f := slowdown(raw.status, raw.header)
	if f == 0 || c.opts.RateFixed {
		return
	}
	if c.shared != nil {
		if a, ok := c.shared.(RateAdapter); ok {
			_ = a.SlowDown(ctx, c.site, f)
		}
		return
	}
	if c.aimd != nil {
		c.aimd.Cut(now, f)
	}
}

// Rate returns the client's current request rate in requests per second
// (the adaptive rate after any slowdown), or 0 when the client has no
// in-process rate limit (unlimited, or a shared Limiter decides).
func (c *Client) Rate() float64 {
	if c.shared != nil || c.limiter.Limit() == rate.Inf {
		return 0
	}
	if c.aimd != nil {
		return c.aimd.Rate(c.opts.Now())
	}
	return float64(c.limiter.Limit())
}
