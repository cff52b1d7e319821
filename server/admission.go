package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/sync/semaphore"

	"github.com/confluence-graph/confluence-graph/graph"
)

// Defaults of the per-tenant admission control (Config.MaxTenantOperations
// and Config.TenantQueueWait).
//
// 12 operations of one tenant are more than its Confluence rate lets run
// at full speed (a nested query needs about 30 upstream calls; the rate
// starts at 50/s), while a burst of 200 concurrent nested queries holds at
// most 12 operations' goroutines (about 250 each) and memory: the load
// check's burst stays under 5,000 goroutines and 256 MiB. The rest wait up
// to a second for a slot and are then refused with RATE_LIMITED, so a
// client is told to come back rather than left to time out behind the
// others.
const (
	DefaultMaxTenantOperations = 12
	DefaultTenantQueueWait     = time.Second
	// admissionRetryAfter is the retryAfterSeconds of a refusal: when a
	// slot frees up is not known; operations typically take well under it.
	admissionRetryAfter = time.Second
)

// admission bounds the GraphQL operations in flight per tenant: each
// tenant has limit slots; a request waits up to wait for one and is
// refused once that has passed. Tenants without operations in flight take
// no memory.
type admission struct {
	limit int64
	wait  time.Duration

	mu      sync.Mutex
	tenants map[string]*tenantSlots
}

type tenantSlots struct {
	sem   *semaphore.Weighted
	users int // requests holding or waiting for a slot; guarded by admission.mu
}

func newAdmission(limit int, wait time.Duration) *admission {
	return &admission{limit: int64(limit), wait: wait, tenants: map[string]*tenantSlots{}}
}

// acquire takes one of tenant's slots, waiting up to a.wait (and no longer
// than ctx). It returns false when none freed up in time.
func (a *admission) acquire(ctx context.Context, tenant string) bool {
	a.mu.Lock()
	ts := a.tenants[tenant]
	if ts == nil {
		ts = &tenantSlots{sem: semaphore.NewWeighted(a.limit)}
		a.tenants[tenant] = ts
	}
	ts.users++
	a.mu.Unlock()
	if ts.sem.TryAcquire(1) {
		return true
	}
	ok := false
	if a.wait > 0 {
		wctx, cancel := context.WithTimeout(ctx, a.wait)
		ok = ts.sem.Acquire(wctx, 1) == nil
		cancel()
	}
	if !ok {
		a.leave(tenant, ts)
	}
	return ok
}

// release frees a slot acquire took.
func (a *admission) release(tenant string) {
	a.mu.Lock()
	ts := a.tenants[tenant]
	a.mu.Unlock()
	ts.sem.Release(1)
	a.leave(tenant, ts)
}

func (a *admission) leave(tenant string, ts *tenantSlots) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ts.users--
	if ts.users == 0 {
		delete(a.tenants, tenant)
	}
}

// admit bounds the caller's tenant's operations in flight (see admission).
// A request refused gets HTTP 429 with Retry-After and a GraphQL error
// RATE_LIMITED with extensions.retryAfterSeconds, before any of its work
// starts. Requests without a tenant (OPTIONS) pass.
func (s *Server) admit(next http.Handler) http.Handler {
	if s.cfg.MaxTenantOperations <= 0 {
		return next
	}
	adm := newAdmission(s.cfg.MaxTenantOperations, s.cfg.TenantQueueWait)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := graph.CallerFrom(r.Context())
		if !ok || c.TenantID == "" {
			next.ServeHTTP(w, r)
			return
		}
		if !adm.acquire(r.Context(), c.TenantID) {
			stateFrom(r.Context()).set(func(st *requestState) { st.outcome = OutcomeRejected })
			writeRateLimited(w, r, s.cfg.MaxTenantOperations)
			return
		}
		defer adm.release(c.TenantID)
		next.ServeHTTP(w, r)
	})
}

// writeRateLimited answers a request refused by admission control.
func writeRateLimited(w http.ResponseWriter, r *http.Request, limit int) {
	secs := int(admissionRetryAfter / time.Second)
	e := &gqlerror.Error{
		Message: "this tenant already has " + strconv.Itoa(limit) +
			" GraphQL operations in flight; retry after " + strconv.Itoa(secs) + " s",
		Extensions: map[string]any{"code": graph.CodeRateLimited, "retryAfterSeconds": secs},
	}
	ct := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json") {
		ct = "application/graphql-response+json"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.WriteHeader(http.StatusTooManyRequests)
	_ = jsonEncode(w, map[string]any{"errors": gqlerror.List{e}})
}
