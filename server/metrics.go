package server

import (
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// Outcomes of a GraphQL request, the outcome label of graphql_operations_total.
const (
	// OutcomeOK: the operation ran and its response has no errors.
	OutcomeOK = "ok"
	// OutcomeError: the operation ran and its response has errors (partial data).
	OutcomeError = "error"
	// OutcomeRejected: the request was refused before execution (unreadable
	// body, too large, parse or validation error, a limit exceeded, GET mutation).
	OutcomeRejected = "rejected"
	// OutcomeUnauthenticated: the request carried no valid API key.
	OutcomeUnauthenticated = "unauthenticated"
)

// maxOperationNames bounds the distinct operation-name label values; names
// seen after that are reported as "other", so clients cannot grow the
// metric without limit.
const maxOperationNames = 200

var operationNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// Metrics holds the server's Prometheus collectors on a registry of its
// own (process and Go runtime collectors included). Build it with
// NewMetrics before the settings service, so the Confluence clients it
// creates can report through Instrument. A Metrics is safe for concurrent
// use. The zero value is not usable.
//
// No label ever carries a token, an Authorization value, a query text, a
// variable or a customer's site host: labels are operation names (bounded),
// route patterns, status codes, outcomes and breaker states.
type Metrics struct {
	reg *prometheus.Registry

	operations   *prometheus.CounterVec   // graphql_operations_total{operation,type,outcome}
	opDuration   *prometheus.HistogramVec // graphql_operation_duration_seconds{type,outcome}
	httpRequests *prometheus.CounterVec   // http_requests_total{handler,code}
	upstream     *prometheus.CounterVec   // confluence_upstream_requests_total{endpoint,status}
	upLatency    *prometheus.HistogramVec // confluence_upstream_request_duration_seconds{endpoint}
	retries      *prometheus.CounterVec   // confluence_upstream_retries_total{endpoint,reason}
	breakers     *prometheus.GaugeVec     // confluence_breakers{state}
	breakerMoves *prometheus.CounterVec   // confluence_breaker_transitions_total{to}

	mu    sync.Mutex
	names map[string]struct{}
	sites map[string]string // a site's breaker state, counted into breakers, never exported
}

// NewMetrics returns Metrics with every collector registered on a fresh
// registry.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), names: map[string]struct{}{}, sites: map[string]string{}}
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "graphql_operations_total",
		Help: "GraphQL requests by operation name, operation type and outcome (ok, error, rejected, unauthenticated).",
	}, []string{"operation", "type", "outcome"})
	m.opDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "graphql_operation_duration_seconds",
		Help:    "Wall time of GraphQL requests, from the first byte read to the response written.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
	}, []string{"type", "outcome"})
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "http_requests_total",
		Help: "HTTP requests by handler and status code.",
	}, []string{"handler", "code"})
	m.upstream = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "confluence_upstream_requests_total",
		Help: "HTTP attempts sent to Confluence by route pattern and status (0 when no answer came).",
	}, []string{"endpoint", "status"})
	m.upLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "confluence_upstream_request_duration_seconds",
		Help:    "Duration of HTTP attempts sent to Confluence, by route pattern.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
	}, []string{"endpoint"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "confluence_upstream_retries_total",
		Help: "Retries of Confluence reads by route pattern and reason (429, 503, network, ...).",
	}, []string{"endpoint", "reason"})
	m.breakers = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "confluence_breakers",
		Help: "Confluence sites whose circuit breaker is in each state (closed, half-open, open); sites are not named.",
	}, []string{"state"})
	m.breakerMoves = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "confluence_breaker_transitions_total",
		Help: "Circuit breaker state changes by new state.",
	}, []string{"to"})
	m.reg.MustRegister(m.operations, m.opDuration, m.httpRequests, m.upstream, m.upLatency,
		m.retries, m.breakers, m.breakerMoves,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry /metrics serves, for registering more
// collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler returns the /metrics handler (Prometheus text or OpenMetrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Instrument sets o's OnRequest, OnRetry and OnBreakerChange hooks so the
// client reports into m. Hooks already set are kept and called after m's.
func (m *Metrics) Instrument(o *confluence.Options) {
	prevReq, prevRetry, prevBreaker := o.OnRequest, o.OnRetry, o.OnBreakerChange
	o.OnRequest = func(endpoint string, status int, dur time.Duration) {
		m.ObserveUpstream(endpoint, status, dur)
		if prevReq != nil {
			prevReq(endpoint, status, dur)
		}
	}
	o.OnRetry = func(endpoint string, retry int, wait time.Duration, reason string) {
		m.ObserveRetry(endpoint, reason)
		if prevRetry != nil {
			prevRetry(endpoint, retry, wait, reason)
		}
	}
	o.OnBreakerChange = func(site, from, to string) {
		m.ObserveBreaker(site, to)
		if prevBreaker != nil {
			prevBreaker(site, from, to)
		}
	}
}

// ObserveUpstream records one HTTP attempt to Confluence: endpoint is the
// route pattern (never a URL with ids or a query), status 0 when no answer
// came.
func (m *Metrics) ObserveUpstream(endpoint string, status int, dur time.Duration) {
	m.upstream.WithLabelValues(endpoint, strconv.Itoa(status)).Inc()
	m.upLatency.WithLabelValues(endpoint).Observe(dur.Seconds())
}

// ObserveRetry records one retry of a Confluence read.
func (m *Metrics) ObserveRetry(endpoint, reason string) {
	m.retries.WithLabelValues(endpoint, reason).Inc()
}

// ObserveBreaker records that site's circuit breaker entered state to
// ("closed", "half-open" or "open"). The site is kept only to count sites
// per state; no label names it.
func (m *Metrics) ObserveBreaker(site, to string) {
	m.mu.Lock()
	from, seen := m.sites[site]
	m.sites[site] = to
	m.mu.Unlock()
	if seen {
		m.breakers.WithLabelValues(from).Dec()
	}
	m.breakers.WithLabelValues(to).Inc()
	m.breakerMoves.WithLabelValues(to).Inc()
}

// RegisterCacheStats exports the cross-request cache's hit and miss
// counters (loaders_cache_hits_total, loaders_cache_misses_total), read
// from stats at scrape time. stats must be safe for concurrent use and
// return monotonically increasing counts.
func (m *Metrics) RegisterCacheStats(stats func() (hits, misses uint64)) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "loaders_cache_hits_total",
			Help: "Lookups answered by the cross-request Confluence cache.",
		}, func() float64 { h, _ := stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "loaders_cache_misses_total",
			Help: "Lookups the cross-request Confluence cache could not answer.",
		}, func() float64 { _, mi := stats(); return float64(mi) }),
	)
}

// observeOperation records one GraphQL request.
func (m *Metrics) observeOperation(name, typ, outcome string, dur time.Duration) {
	if typ == "" {
		typ = "unknown"
	}
	m.operations.WithLabelValues(m.operationLabel(name), typ, outcome).Inc()
	m.opDuration.WithLabelValues(typ, outcome).Observe(dur.Seconds())
}

// operationLabel bounds the operation-name label: "anonymous" for none,
// "invalid" for names that are not GraphQL names, "other" once
// maxOperationNames distinct names were seen.
func (m *Metrics) operationLabel(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case !operationNameRE.MatchString(name):
		return "invalid"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.names[name]; ok {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return "other"
	}
	m.names[name] = struct{}{}
	return name
}

func (m *Metrics) observeHTTP(handler string, code int) {
	m.httpRequests.WithLabelValues(handler, strconv.Itoa(code)).Inc()
}
