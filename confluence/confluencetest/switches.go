package confluencetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind says how an injected fault breaks a request.
type FaultKind int

// Fault kinds.
const (
	// FaultStatus answers with Fault.Status (and Retry-After if set).
	FaultStatus FaultKind = iota + 1
	// FaultReset closes the connection without a response (TCP reset).
	FaultReset
	// FaultHang never answers: the handler waits until the client gives up
	// (its deadline or cancellation) or the server closes.
	FaultHang
)

// Fault is one deterministic failure for InjectFaults.
type Fault struct {
	Kind       FaultKind `json:"kind"`
	Status     int       `json:"status,omitempty"`     // for FaultStatus: 429, 500, 502, 503, 504...
	RetryAfter string    `json:"retryAfter,omitempty"` // Retry-After value ("2" or an HTTP date); "" for none
	// PathPrefix limits the fault to requests whose path starts with it,
	// compared with the site-mode path ("/wiki/api/v2/pages") and with that
	// path minus "/wiki" ("/api/v2/pages"); "" matches any request.
	PathPrefix string `json:"pathPrefix,omitempty"`
}

// switches are the runtime knobs; guarded by mu.
type switches struct {
	mu        sync.Mutex
	latency   time.Duration
	jitter    time.Duration
	rate      float64
	burst     int
	buckets   map[string]*bucket
	faultRate float64
	faults    []Fault
	rnd       *rand.Rand
}

func (sw *switches) init(c config) {
	sw.latency, sw.jitter = c.latency, c.jitter
	sw.rnd = newRand(c.seed)
	sw.buckets = map[string]*bucket{}
}

// bucket is a token bucket.
type bucket struct {
	tokens float64
	last   time.Time
}

// SetLatency delays each later Confluence response by d plus a random jitter
// in [0, jitter). Zero disables it. Control endpoints are never delayed.
func (s *Server) SetLatency(d, jitter time.Duration) {
	s.sw.mu.Lock()
	defer s.sw.mu.Unlock()
	s.sw.latency, s.sw.jitter = d, jitter
}

// SetRateLimit gives every account its own token bucket refilled at
// perSecond with capacity burst (burst < 1 means max(1, ceil(perSecond))).
// A request finding the bucket empty gets 429 with Retry-After,
// X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset and
// RateLimit-Reason. perSecond <= 0 disables the limit. Buckets start full.
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	s.sw.mu.Lock()
	defer s.sw.mu.Unlock()
	if burst < 1 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	s.sw.rate, s.sw.burst = perSecond, burst
	s.sw.buckets = map[string]*bucket{}
}

// SetFaultRate makes that fraction (0..1) of Confluence requests fail at
// random: 502, 503 with Retry-After: 1, a connection reset, or a hang.
// 0 disables it. Injected faults take precedence.
func (s *Server) SetFaultRate(rate float64) {
	s.sw.mu.Lock()
	defer s.sw.mu.Unlock()
	s.sw.faultRate = min(max(rate, 0), 1)
}

// InjectFaults queues faults: each later request takes the first queued fault
// whose PathPrefix matches it, in order, until the queue is empty.
func (s *Server) InjectFaults(fs ...Fault) {
	s.sw.mu.Lock()
	defer s.sw.mu.Unlock()
	s.sw.faults = append(s.sw.faults, fs...)
}

// PendingFaults is the number of injected faults not yet used.
func (s *Server) PendingFaults() int {
	s.sw.mu.Lock()
	defer s.sw.mu.Unlock()
	return len(s.sw.faults)
}

func (sw *switches) delay() time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	d := sw.latency
	if sw.jitter > 0 {
		d += time.Duration(sw.rnd.Int64N(int64(sw.jitter)))
	}
	return d
}

// takeFault returns the fault for a request on path (site form), if any.
func (sw *switches) takeFault(path string) (Fault, bool) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	short := strings.TrimPrefix(path, "/wiki")
	for i, f := range sw.faults {
		if f.PathPrefix == "" || strings.HasPrefix(path, f.PathPrefix) || strings.HasPrefix(short, f.PathPrefix) {
			sw.faults = append(sw.faults[:i:i], sw.faults[i+1:]...)
			return f, true
		}
	}
	if sw.faultRate > 0 && sw.rnd.Float64() < sw.faultRate {
		switch sw.rnd.IntN(4) {
		case 0:
			return Fault{Kind: FaultStatus, Status: http.StatusBadGateway}, true
		case 1:
			return Fault{Kind: FaultStatus, Status: http.StatusServiceUnavailable, RetryAfter: "1"}, true
		case 2:
			return Fault{Kind: FaultReset}, true
		default:
			return Fault{Kind: FaultHang}, true
		}
	}
	return Fault{}, false
}

// limit takes a token for account key. It returns ok=false with the wait
// until a token is available when the bucket is empty; remaining is the
// whole tokens left afterwards; enabled is false when no limit is set.
func (sw *switches) limit(key string, now time.Time) (enabled, ok bool, remaining int, wait time.Duration, rate float64, burst int) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.rate <= 0 {
		return false, true, 0, 0, 0, 0
	}
	b := sw.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(sw.burst), last: now}
		sw.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(float64(sw.burst), b.tokens+el*sw.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, true, int(b.tokens), 0, sw.rate, sw.burst
	}
	need := (1 - b.tokens) / sw.rate
	return true, false, 0, time.Duration(need * float64(time.Second)), sw.rate, sw.burst
}

// writeRateLimitHeaders sets the X-RateLimit-* headers of a limited route;
// NearLimit marks less than 20% of the bucket (burst) left, as Confluence
// documents at https://developer.atlassian.com/cloud/confluence/rate-limiting/.
func writeRateLimitHeaders(h http.Header, rate float64, burst, remaining int, reset time.Time) {
	h.Set("X-RateLimit-Limit", strconv.FormatFloat(rate, 'f', -1, 64))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", reset.UTC().Format(time.RFC3339))
	if float64(remaining) < 0.2*float64(burst) {
		h.Set("X-RateLimit-NearLimit", "true")
	}
}

var faultNames = map[FaultKind]string{FaultStatus: "status", FaultReset: "reset", FaultHang: "hang"}

// String returns "status", "reset" or "hang".
func (k FaultKind) String() string {
	if n, ok := faultNames[k]; ok {
		return n
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalJSON encodes the kind as its name.
func (k FaultKind) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(k.String())), nil }

// UnmarshalJSON accepts a name ("status", "reset", "hang") or the number.
func (k *FaultKind) UnmarshalJSON(b []byte) error {
	if n, err := strconv.Atoi(string(b)); err == nil {
		*k = FaultKind(n)
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fmt.Errorf("confluencetest: fault kind %s is not a string or number", b)
	}
	for kind, name := range faultNames {
		if name == s {
			*k = kind
			return nil
		}
	}
	return fmt.Errorf("confluencetest: unknown fault kind %q (want status, reset or hang)", s)
}
