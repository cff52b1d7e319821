package confluence

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// TokenType says how the client routes requests for an API token.
type TokenType int

const (
	// TokenAuto (the zero value) tries the site host first and falls back to
	// the gateway when the site answers 401; Client.TokenType reports which
	// one worked.
	TokenAuto TokenType = iota
	// TokenClassic sends requests to https://{site}/wiki/...
	TokenClassic
	// TokenScoped sends requests to {gateway}/ex/confluence/{cloudId}/wiki/...
	TokenScoped
)

// String returns "auto", "classic" or "scoped".
func (t TokenType) String() string {
	switch t {
	case TokenClassic:
		return "classic"
	case TokenScoped:
		return "scoped"
	default:
		return "auto"
	}
}

// Limiter is a request budget shared beyond one Client, e.g. between the
// replicas of the service. Wait blocks until one request for key may be
// sent, and returns a non-nil error (ctx.Err() when ctx ended) when it may
// not. It must be safe for concurrent use.
type Limiter interface {
	Wait(ctx context.Context, key string) error
}

// Pauser is an optional interface of a Limiter: after a 429 that names a
// time (Retry-After or X-RateLimit-Reset) the client calls Pause with its
// site host as key, and the Limiter must then grant nothing for key to any
// of its users until d has passed (package ratebudget does so across
// replicas, timed by the Redis clock). The client pauses its own calls
// regardless, so an error is ignored.
type Pauser interface {
	Pause(ctx context.Context, key string, d time.Duration) error
}

// RateAdapter is an optional interface of a Limiter whose rate adapts: on
// each throttling signal (a 429: ThrottleFactor; X-RateLimit-NearLimit or
// RateLimit-Reason: NearLimitFactor) the client calls SlowDown with its
// site host as key, and the Limiter multiplies key's rate by factor (at
// most once per CutInterval) and lets it grow back gradually. Not called
// when Options.RateFixed is set.
type RateAdapter interface {
	SlowDown(ctx context.Context, key string, factor float64) error
}

// Tracer traces the client's HTTP attempts. Its methods must be safe for
// concurrent use.
type Tracer interface {
	// Transport wraps the client's transport (inside the read-only and
	// host checks, so only requests that are sent pass through it).
	Transport(base http.RoundTripper) http.RoundTripper
	// Attempt returns the context one HTTP attempt is sent with, given
	// the attempt's route template ("/wiki/api/v2/pages/{id}", never the
	// URL), its retry number (0 for the first attempt) and how long it
	// waited in this client's own queue (a 429's pause, an in-flight
	// slot, the rate limiter) before it was sent. The wrapped transport
	// sees that context on the request.
	Attempt(ctx context.Context, route string, retry int, queueWait time.Duration) context.Context
}

// Defaults of the adaptive rate (see Options.RateLimit).
const (
	DefaultRateLimit    = 50
	DefaultRateBurst    = 50
	DefaultRateMin      = 1
	DefaultRateRecovery = 1
	DefaultMaxQueueWait = 5 * time.Second
)

// DefaultGatewayURL is the Atlassian API gateway used for scoped tokens.
const DefaultGatewayURL = "https://api.atlassian.com"

// Options configures a Client. Only Site, Email and Token are required;
// every zero value below means "use the default" stated on the field.
//
// Options holds a secret: its String and GoString methods mask Token, but
// do not log it through other means.
type Options struct {
	// Site is the Confluence site host, e.g. "acme.atlassian.net" (see
	// NormalizeSite for accepted spellings). It may also equal AllowedDevHost.
	Site string
	// Email and Token are the Basic-auth credentials (account email and API token).
	Email string
	Token string
	// DataCenter, when set, makes the client talk to Confluence Data Center
	// instead of Cloud (see DataCenterOptions); Site, Email, Token,
	// TokenType, CloudID and GatewayURL are then ignored.
	DataCenter *DataCenterOptions
	// TokenType selects routing; the zero value is TokenAuto.
	TokenType TokenType
	// CloudID, when known, saves the /_edge/tenant_info lookup for the gateway.
	CloudID string
	// GatewayURL is the gateway base for scoped tokens; default DefaultGatewayURL.
	// It must be https unless its host is AllowedDevHost.
	GatewayURL string
	// AllowedDevHost is one plain-HTTP loopback "host:port" (e.g. the
	// simulator's "127.0.0.1:9090") the client may talk to. Empty in
	// production: then every host must be https and *.atlassian.net, the
	// gateway host, or (for attachment downloads) an Atlassian media host.
	AllowedDevHost string
	// Transport replaces the default guarded transport (tests only). The
	// read-only and host checks still wrap it; the dial-time address check
	// does not, since the dialer belongs to the replaced transport.
	Transport http.RoundTripper

	// CallTimeout bounds a whole call (all attempts and waits) when the
	// caller's context has no deadline; default 30s.
	CallTimeout time.Duration
	// AttemptTimeout bounds one HTTP attempt; default 15s.
	AttemptTimeout time.Duration
	// MaxRetries is the number of retries after the first attempt for reads
	// answered 429/502/503/504 or failing in the network; default 3,
	// negative disables retries.
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff with
	// full jitter; defaults 500ms and 30s.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After the client will wait out; a
	// longer one fails fast with *RateLimitError. Default 60s.
	MaxRetryAfter time.Duration
	// RetryBudgetRatio is the retry budget: each first attempt earns this
	// many retry tokens, each retry spends one, the bucket holds at most
	// RetryBudgetMax (default 0.2, and RateBurst but at least 10, so that a
	// burst of 429s answering a full bucket's worth of calls is retried in
	// full).
	RetryBudgetRatio float64
	RetryBudgetMax   float64

	// RateLimit is the per-client (per-tenant) request rate in requests per
	// second; default DefaultRateLimit (50), negative means unlimited.
	// Atlassian publishes no fixed rate for API-token traffic (see
	// docs/confluence-rate-limits.md), so the rate adapts unless RateFixed:
	// it starts at RateLimit, is multiplied by ThrottleFactor on a 429 and
	// by NearLimitFactor on X-RateLimit-NearLimit or RateLimit-Reason (at
	// most once per CutInterval, never below RateMin), and grows back by
	// RateRecovery requests/s per second up to RateLimit. RateBurst is the
	// bucket's capacity, default DefaultRateBurst (50), so one nested
	// GraphQL request (about 30 calls) runs at full speed.
	RateLimit float64
	RateBurst int
	// RateMin is the adaptive rate's floor, default DefaultRateMin (1/s);
	// RateRecovery its additive increase in requests/s per second, default
	// DefaultRateRecovery (1). RateFixed keeps the rate at RateLimit.
	RateMin      float64
	RateRecovery float64
	RateFixed    bool
	// Limiter, if set, replaces the in-process limiter built from RateLimit
	// and RateBurst (which are then ignored): every HTTP attempt first calls
	// Limiter.Wait with the client's normalized site host as the key, so
	// replicas sharing one Limiter (see package ratebudget) share one budget
	// per Confluence site. A Limiter that is also a Pauser shares 429
	// pauses, one that is a RateAdapter adapts the shared rate; its Wait
	// may return an error with a RetryAfter() time.Duration method when the
	// grant would come after the context's deadline, which the client
	// reports as a local *RateLimitError. Nil keeps the per-client
	// in-process limiter.
	Limiter Limiter
	// MaxQueueWait bounds how long one attempt waits for this client's own
	// capacity (an in-flight slot, then the rate limiter, in-process or
	// shared) before it is sent; default DefaultMaxQueueWait (5s), negative
	// means no wait at all. A call whose wait would exceed it, or its
	// deadline, fails at once with a local *RateLimitError (RetryAfter the
	// computed wait) instead of waiting into a timeout. A site's pause
	// after a 429 is waited out whenever it ends before the call's
	// deadline (the call fails the same way otherwise); with a shared
	// Limiter, whose Wait covers the shared pause too, MaxQueueWait bounds
	// that as well.
	MaxQueueWait time.Duration
	// MaxConcurrency caps in-flight requests per client; default 32, enough
	// for one nesting level of per-page lists (25 pages by default, plus the
	// batch searches) to run in one round. What Confluence sees is paced by
	// the adaptive rate (its burst and its backing off on 429s); this cap
	// bounds our own connections (docs/confluence-notes.md, "Concurrency").
	MaxConcurrency int
	// MaxResponseBytes caps a JSON response body; default 32 MiB.
	// MaxDownloadBytes caps an attachment download; default 100 MiB.
	MaxResponseBytes int64
	MaxDownloadBytes int64

	// BreakerFailures is the number of consecutive failures (5xx, network
	// errors, timeouts) that open the site's circuit breaker; default 5.
	// BreakerTimeout is how long it stays open before a probe; default 30s.
	BreakerFailures uint32
	BreakerTimeout  time.Duration

	// OnRequest, if set, is called after every HTTP attempt with the route
	// pattern ("GET /wiki/api/v2/pages/{id}"), the status (0 when no answer
	// came) and the attempt's duration. It must be safe for concurrent use.
	OnRequest func(endpoint string, status int, dur time.Duration)
	// OnRetry, if set, is called before each retry wait with the route
	// pattern, the retry number (1-based), the wait and the reason
	// ("429", "503", "network", ...).
	OnRetry func(endpoint string, retry int, wait time.Duration, reason string)
	// OnBreakerChange, if set, is called when the site's breaker changes
	// state ("closed", "half-open", "open").
	OnBreakerChange func(site, from, to string)
	// Tracer, if set, traces every HTTP attempt (package tracing's
	// Upstream does so with OpenTelemetry spans); nil traces nothing.
	Tracer Tracer

	// Sleep waits between retries, out a 429's pause and for the rate
	// limiter; default a timer that stops when ctx is done. Tests may
	// replace it to observe waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a float in [0,1) for full jitter; default math/rand/v2.
	Jitter func() float64
	// Now is the clock of Retry-After dates, pauses and the in-process
	// rate limiter; default time.Now. Deadlines are always real time.
	Now func() time.Time
	// UserAgent is sent on every request; default "confluence-graph".
	UserAgent string
}

// String masks the token.
func (o Options) String() string {
	if o.DataCenter != nil {
		return fmt.Sprintf("confluence.Options{DataCenter:%q PAT:%s}", o.DataCenter.BaseURL, mask(o.DataCenter.PAT))
	}
	return fmt.Sprintf("confluence.Options{Site:%q Email:%q Token:%s TokenType:%s}", o.Site, o.Email, mask(o.Token), o.TokenType)
}

// GoString masks the token in %#v.
func (o Options) GoString() string { return o.String() }

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return `"***"`
}

func (o *Options) applyDefaults() {
	if o.GatewayURL == "" {
		o.GatewayURL = DefaultGatewayURL
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 30 * time.Second
	}
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = 15 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 3
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RetryBaseDelay <= 0 {
		o.RetryBaseDelay = 500 * time.Millisecond
	}
	if o.RetryMaxDelay <= 0 {
		o.RetryMaxDelay = 30 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 60 * time.Second
	}
	if o.RetryBudgetRatio <= 0 {
		o.RetryBudgetRatio = 0.2
	}
	if o.RateLimit == 0 {
		o.RateLimit = DefaultRateLimit
	}
	if o.RateBurst <= 0 {
		o.RateBurst = DefaultRateBurst
	}
	if o.RetryBudgetMax <= 0 {
		o.RetryBudgetMax = float64(max(10, o.RateBurst))
	}
	if o.RateMin <= 0 {
		o.RateMin = DefaultRateMin
	}
	if o.RateRecovery <= 0 {
		o.RateRecovery = DefaultRateRecovery
	}
	if o.MaxQueueWait == 0 {
		o.MaxQueueWait = DefaultMaxQueueWait
	} else if o.MaxQueueWait < 0 {
		o.MaxQueueWait = 0
	}
	if o.MaxConcurrency <= 0 {
		o.MaxConcurrency = 32
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = 32 << 20
	}
	if o.MaxDownloadBytes <= 0 {
		o.MaxDownloadBytes = 100 << 20
	}
	if o.BreakerFailures == 0 {
		o.BreakerFailures = 5
	}
	if o.BreakerTimeout <= 0 {
		o.BreakerTimeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.UserAgent == "" {
		o.UserAgent = "confluence-graph"
	}
}
