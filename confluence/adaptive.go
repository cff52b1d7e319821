package confluence

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Throttling signals and how much each one slows the site's rate down
// (multiplicative decrease). Confluence sends X-RateLimit-NearLimit: true
// when less than 20% of a quota is left, and RateLimit-Reason on throttled
// answers; see docs/confluence-rate-limits.md.
const (
	// ThrottleFactor multiplies the rate after a 429.
	ThrottleFactor = 0.5
	// NearLimitFactor multiplies the rate after an answer that says the
	// quota is nearly used up (X-RateLimit-NearLimit, or RateLimit-Reason
	// on an answer that is not a 429).
	NearLimitFactor = 0.8
	// CutInterval is the shortest time between two decreases of one
	// site's rate: the concurrent calls in flight when Confluence starts
	// throttling all report it, and that is one overload, not many.
	CutInterval = time.Second
	// maxPause bounds the pause one 429 can order (a wrong header must not
	// silence a site for a day).
	maxPause = time.Hour
)

// aimd is the adaptive rate of one site: it starts at ceiling, is cut by a
// factor on each throttling signal (at most once per CutInterval, never
// below floor) and grows back by step requests/s per second (additive
// increase, multiplicative decrease). It is safe for concurrent use and
// reads time only from the now values it is given.
type aimd struct {
	mu      sync.Mutex
	ceiling float64
	floor   float64
	step    float64
	rate    float64
	at      time.Time // when rate was last brought up to date
	lastCut time.Time
}

func newAIMD(ceiling, floor, step float64) *aimd {
	return &aimd{ceiling: ceiling, floor: min(floor, ceiling), step: step, rate: ceiling}
}

// Rate returns the rate at now.
func (a *aimd) Rate(now time.Time) float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.advance(now)
}

func (a *aimd) advance(now time.Time) float64 {
	if a.at.IsZero() {
		a.at = now
	}
	if now.After(a.at) {
		a.rate = min(a.ceiling, a.rate+a.step*now.Sub(a.at).Seconds())
		a.at = now
	}
	return a.rate
}

// Cut multiplies the rate by factor (0 < factor < 1) unless the last cut
// was less than CutInterval before now. It returns the rate after the call
// and whether it cut.
func (a *aimd) Cut(now time.Time, factor float64) (float64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r := a.advance(now)
	if !a.lastCut.IsZero() && now.Sub(a.lastCut) < CutInterval {
		return r, false
	}
	a.lastCut = now
	a.rate = max(a.floor, r*factor)
	return a.rate, true
}

// slowdown returns the factor the answer asks the rate to be multiplied
// by: ThrottleFactor for a 429, NearLimitFactor for an answer that reports
// the quota nearly used, 0 for none.
func slowdown(status int, h http.Header) float64 {
	switch {
	case status == http.StatusTooManyRequests:
		return ThrottleFactor
	case strings.EqualFold(strings.TrimSpace(h.Get("X-RateLimit-NearLimit")), "true"),
		strings.EqualFold(strings.TrimSpace(h.Get("X-Beta-RateLimit-NearLimit")), "true"),
		h.Get("RateLimit-Reason") != "":
		return NearLimitFactor
	}
	return 0
}

// pauseFor returns how long a 429 asks every call to the site to wait:
// Retry-After (seconds or an HTTP date), else X-RateLimit-Reset (an ISO
// 8601 time, sometimes with minute precision), at most maxPause. ok is
// false when the answer names no time.
func pauseFor(h http.Header, now time.Time) (d time.Duration, ok bool) {
	d, ok = parseRetryAfter(h.Get("Retry-After"), now)
	if !ok {
		d, ok = parseResetTime(h.Get("X-RateLimit-Reset"), now)
	}
	return min(d, maxPause), ok
}

// parseResetTime reads an X-RateLimit-Reset value ("2025-10-08T15:00:00Z"
// or "2026-03-26T16:00Z") as the time left until then.
func parseResetTime(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if at, err := time.Parse(layout, v); err == nil {
			return max(at.Sub(now), 0), true
		}
	}
	return 0, false
}

// pauseGate holds a site's pause: no request is sent before until.
type pauseGate struct {
	mu     sync.Mutex
	until  time.Time
	reason string
}

// extend moves the pause's end to until if that is later.
func (g *pauseGate) extend(until time.Time, reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until.After(g.until) {
		g.until, g.reason = until, reason
	}
}

// get returns the pause's end (zero if there never was one) and the
// RateLimit-Reason of the 429 that set it.
func (g *pauseGate) get() (time.Time, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until, g.reason
}
