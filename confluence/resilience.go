package confluence

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
	"golang.org/x/sync/singleflight"
)

// transportErr is a failed HTTP attempt (no answer received).
type transportErr struct {
	err        error
	timeout    bool // the attempt's own timeout, not the caller's
	callerDone bool // the caller's context ended
}

func (e *transportErr) Error() string { return e.err.Error() }
func (e *transportErr) Unwrap() error { return e.err }

// Internal breaker outcomes for answers that are responses, not errors.
var (
	errServerFailure = errors.New("confluence: server failure")
	errThrottled     = errors.New("confluence: throttled")
)

// newBreaker builds the site's circuit breaker: 5xx answers, network
// errors and attempt timeouts are failures; 4xx answers are successes
// (configuration problems, not outages); 429, refusals and the caller's own
// cancellation are excluded.
func newBreaker(site string, o Options) *gobreaker.CircuitBreaker[*rawResponse] {
	failures := o.BreakerFailures
	onChange := o.OnBreakerChange
	return gobreaker.NewCircuitBreaker[*rawResponse](gobreaker.Settings{
		Name:        site,
		MaxRequests: 1,
		Timeout:     o.BreakerTimeout,
		ReadyToTrip: func(cn gobreaker.Counts) bool { return cn.ConsecutiveFailures >= failures },
		IsExcluded: func(err error) bool {
			if errors.Is(err, errThrottled) {
				return true
			}
			var te *transportErr
			if errors.As(err, &te) {
				return te.callerDone
			}
			var ce *Error
			return errors.As(err, &ce) // refusals and oversize bodies
		},
		OnStateChange: func(name string, from, to gobreaker.State) {
			if onChange != nil {
				onChange(name, from.String(), to.String())
			}
		},
	})
}

// retryBudget limits retries to a share of traffic: each first attempt
// earns ratio tokens, each retry spends one, capacity max.
type retryBudget struct {
	mu     sync.Mutex
	tokens float64
	ratio  float64
	max    float64
}

func newRetryBudget(ratio, maxTokens float64) *retryBudget {
	return &retryBudget{tokens: maxTokens, ratio: ratio, max: maxTokens}
}

func (b *retryBudget) deposit() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.max, b.tokens+b.ratio)
}

func (b *retryBudget) withdraw() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// exchange sends req to base: identical concurrent GETs share one
// exchange (singleflight), everything else goes straight to retrying.
func (c *Client) exchange(ctx context.Context, base *url.URL, req *request, onSite bool) (*rawResponse, error) {
	u, err := buildURL(base, req)
	if err != nil {
		return nil, err
	}
	if req.method != http.MethodGet || req.abs != nil || req.stream {
		return c.retrying(ctx, u, req, onSite) // a stream has one reader: never shared
	}
	key := u.String()
	ch := c.reads.DoChan(key, func() (any, error) {
		// The shared work must not die with the first caller: it runs
		// without its cancellation but keeps its deadline.
		sctx := context.WithoutCancel(ctx)
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			sctx, cancel = context.WithDeadline(sctx, dl)
			defer cancel()
		}
		return c.retrying(sctx, u, req, onSite)
	})
	var r singleflight.Result
	select {
	case <-ctx.Done():
		select {
		case r = <-ch: // the shared call ended together with ctx: its answer tells why
		default:
			return nil, &transportErr{err: ctx.Err(), callerDone: true}
		}
	case r = <-ch:
	}
	if r.Err != nil {
		return nil, r.Err
	}
	return r.Val.(*rawResponse), nil
}

// retrying runs attempts with exponential backoff and full jitter,
// honouring Retry-After as a minimum, within the retry budget and the
// call's deadline. Every request the client sends is a read, so all are
// retried on 429/502/503/504 and network failures.
func (c *Client) retrying(ctx context.Context, u *url.URL, req *request, onSite bool) (*rawResponse, error) {
	c.budget.deposit()
	var waited time.Time // the end of the site's pause this call's retry wait covered
	for retry := 0; ; retry++ {
		raw, err := c.attempt(ctx, u, req, onSite, waited, retry)
		reason := retryReason(raw, err)
		if reason == "" || retry >= c.opts.MaxRetries {
			return raw, err
		}
		wait := c.backoff(retry)
		if raw != nil {
			if ra, ok := parseRetryAfter(raw.header.Get("Retry-After"), c.opts.Now()); ok {
				if ra > c.opts.MaxRetryAfter {
					return raw, err
				}
				wait = max(wait, ra)
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return raw, err // fail fast: the wait would outlive the call
		}
		if !c.budget.withdraw() {
			return raw, err
		}
		if c.opts.OnRetry != nil {
			c.opts.OnRetry(req.endpoint(), retry+1, wait, reason)
		}
		if until, _ := c.pause.get(); !until.After(c.opts.Now().Add(wait)) {
			waited = until
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, &transportErr{err: serr, callerDone: true}
		}
	}
}

func retryReason(raw *rawResponse, err error) string {
	if err != nil {
		var te *transportErr
		if errors.As(err, &te) && !te.callerDone {
			if te.timeout {
				return "timeout"
			}
			return "network"
		}
		return ""
	}
	switch raw.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return strconv.Itoa(raw.status)
	}
	return ""
}

// backoff is full jitter: uniform in [0, min(cap, base·2^retry)).
func (c *Client) backoff(retry int) time.Duration {
	ceiling := c.opts.RetryBaseDelay << min(retry, 30)
	if ceiling <= 0 || ceiling > c.opts.RetryMaxDelay {
		ceiling = c.opts.RetryMaxDelay
	}
	j := rand.Float64
	if c.opts.Jitter != nil {
		j = c.opts.Jitter
	}
	return time.Duration(j() * float64(ceiling))
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.opts.Sleep != nil {
		return c.opts.Sleep(ctx, d)
	}
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt is one HTTP exchange once admitted (the site's pause, the
// concurrency limit and the rate limiter; see admit), under the site's
// circuit breaker. Its answer's throttling signals adapt the site's rate.
// retry is the attempt's retry number (0 for the first), for the Tracer.
func (c *Client) attempt(ctx context.Context, u *url.URL, req *request, onSite bool, waited time.Time, retry int) (*rawResponse, error) {
	queued := time.Now()
	release, err := c.admit(ctx, req, waited)
	if err != nil {
		return nil, err
	}
	defer release()
	if c.opts.Tracer != nil {
		ctx = c.opts.Tracer.Attempt(ctx, req.route, retry, time.Since(queued))
	}
	raw, err := c.breaker.Execute(func() (*rawResponse, error) {
		raw, err := c.roundTrip(ctx, u, req, onSite)
		switch {
		case err != nil:
			return nil, err
		case raw.status == http.StatusTooManyRequests:
			return raw, errThrottled
		case raw.status >= 500:
			return raw, errServerFailure
		}
		return raw, nil
	})
	if raw != nil {
		c.observeThrottling(ctx, raw)
	}
	switch {
	case errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests):
		return nil, &Error{Code: "CIRCUIT_OPEN", Endpoint: req.endpoint(),
			Message: "circuit breaker open for " + c.site + "; request not sent", kind: ErrUnavailable, cause: err}
	case errors.Is(err, errThrottled) || errors.Is(err, errServerFailure):
		return raw, nil
	}
	return raw, err
}

// roundTrip sends one HTTP request and reads the body up to the cap. For a
// stream request, a 2xx answer's body is left open (rawResponse.stream): the
// attempt timeout then covers the exchange up to the response headers only,
// and the body is read under ctx until the stream is closed.
func (c *Client) roundTrip(ctx context.Context, u *url.URL, req *request, onSite bool) (*rawResponse, error) {
	var (
		actx   context.Context
		cancel context.CancelFunc
		timer  *time.Timer
	)
	if req.stream {
		actx, cancel = context.WithCancel(ctx)
		timer = time.AfterFunc(c.opts.AttemptTimeout, cancel)
	} else {
		actx, cancel = context.WithTimeout(ctx, c.opts.AttemptTimeout)
	}
	open := false
	defer func() {
		if !open {
			if timer != nil {
				timer.Stop()
			}
			cancel()
		}
	}()
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hreq, err := http.NewRequestWithContext(actx, req.method, u.String(), body)
	if err != nil {
		return nil, &Error{Endpoint: req.endpoint(), Message: "building request failed", kind: ErrUnavailable}
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.opts.UserAgent)
	if req.body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if !req.noAuth {
		hreq.Header.Set("Authorization", c.auth)
	}
	start := time.Now()
	resp, err := c.http.Do(hreq)
	if err != nil {
		c.observe(req, 0, time.Since(start))
		return nil, classifyTransport(ctx, actx, err)
	}
	limit := req.limit
	if limit <= 0 {
		limit = c.opts.MaxResponseBytes
	}
	if req.stream && resp.StatusCode >= 200 && resp.StatusCode < 300 && timer.Stop() {
		c.observe(req, resp.StatusCode, time.Since(start))
		open = true
		return &rawResponse{status: resp.StatusCode, header: resp.Header, onSite: onSite,
			stream: &streamBody{c: c, req: req, ctx: ctx, actx: actx, rc: resp.Body, left: limit, limit: limit, size: resp.ContentLength, cancel: []func(){cancel}}}, nil
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	c.observe(req, resp.StatusCode, time.Since(start))
	if err != nil {
		return nil, classifyTransport(ctx, actx, err)
	}
	if int64(len(data)) > limit {
		return nil, &Error{Status: resp.StatusCode, Code: "TOO_LARGE", Endpoint: req.endpoint(),
			Message: "response body exceeds " + strconv.FormatInt(limit, 10) + " bytes", kind: ErrResponseTooLarge}
	}
	return &rawResponse{status: resp.StatusCode, header: resp.Header, body: data, onSite: onSite}, nil
}

func (c *Client) observe(req *request, status int, d time.Duration) {
	if c.opts.OnRequest != nil {
		c.opts.OnRequest(req.endpoint(), status, d)
	}
}

// classifyTransport strips the URL from a client error (a redirect target
// may carry a token in its query) and records whose deadline ended it.
func classifyTransport(ctx, actx context.Context, err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce // refused by the guard transport
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, ErrHostNotAllowed) {
		return &Error{Code: "HOST_NOT_ALLOWED", Message: "dial refused: " + err.Error(), kind: ErrHostNotAllowed}
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		// Not retried, not a breaker failure: the site does not exist.
		return &Error{Code: "SITE_NOT_FOUND", Message: "no such host " + dns.Name, kind: ErrNotFound}
	}
	if ctx.Err() != nil {
		return &transportErr{err: ctx.Err(), callerDone: true}
	}
	var ne net.Error
	timeout := actx.Err() != nil || (errors.As(err, &ne) && ne.Timeout())
	return &transportErr{err: err, timeout: timeout}
}
