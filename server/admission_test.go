package server_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

const spaceQuery = `{ space(key: "ENG") { name } }`

// TestAdmissionBoundsATenantsOperations: with two operations of tenant A
// in flight (held inside their Confluence source), a third of A's is
// refused at once with HTTP 429, Retry-After and RATE_LIMITED with
// retryAfterSeconds, without starting any work; tenant B is served
// meanwhile; once A's operations end, A is served again.
func TestAdmissionBoundsATenantsOperations(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{}, 2)
	release := make(chan struct{})
	var calls atomic.Int64
	source := func(ctx context.Context) (loaders.Upstream, error) {
		c, _ := graph.CallerFrom(ctx)
		if c.TenantID == "tenant-a" && calls.Add(1) <= 2 {
			entered <- struct{}{}
			<-release
		}
		return nil, loaders.ErrNotConnected
	}
	e := newEnv(t, server.Config{Source: source, MaxTenantOperations: 2, TenantQueueWait: -1})
	a, b := e.key("tenant-a", settings.RoleReader), e.key("tenant-b", settings.RoleReader)

	var wg sync.WaitGroup
	held := make([]*gqlResponse, 2)
	for i := range held {
		wg.Go(func() { held[i] = e.post(a, spaceQuery, nil) })
	}
	<-entered
	<-entered

	r := e.post(a, spaceQuery, nil)
	if r.Status != 429 || r.code() != graph.CodeRateLimited || r.Header.Get("Retry-After") != "1" {
		t.Errorf("third operation of A: HTTP %d, code %q, Retry-After %q; want 429, %s, 1 (%s)",
			r.Status, r.code(), r.Header.Get("Retry-After"), graph.CodeRateLimited, r.Raw)
	} else if secs, _ := r.Errors[0].Extensions["retryAfterSeconds"].(float64); secs != 1 {
		t.Errorf("retryAfterSeconds = %v, want 1", r.Errors[0].Extensions["retryAfterSeconds"])
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("source calls of A = %d, want 2 (the refused operation did no work)", got)
	}
	if r := e.post(b, spaceQuery, nil); r.Status != 200 || r.code() != graph.CodeNotConnected {
		t.Errorf("B while A is full: HTTP %d, code %q; want 200, %s", r.Status, r.code(), graph.CodeNotConnected)
	}

	close(release)
	wg.Wait()
	for i, r := range held {
		if r.Status != 200 || r.code() != graph.CodeNotConnected {
			t.Errorf("held operation %d: HTTP %d, code %q; want 200, %s", i, r.Status, r.code(), graph.CodeNotConnected)
		}
	}
	if r := e.post(a, spaceQuery, nil); r.Status != 200 || r.code() != graph.CodeNotConnected {
		t.Errorf("A after its operations ended: HTTP %d, code %q; want 200, %s", r.Status, r.code(), graph.CodeNotConnected)
	}
}

// TestAdmissionBurstOfOneTenant: 200 concurrent operations of one tenant
// against the default bound: exactly DefaultMaxTenantOperations of them
// start their work (and complete once it is released); all the others are
// refused with 429 RATE_LIMITED without starting any. Goroutines stay
// bounded (sampled, not timed).
func TestAdmissionBurstOfOneTenant(t *testing.T) {
	t.Parallel()
	const burst, limit = 200, server.DefaultMaxTenantOperations
	entered := make(chan struct{}, burst)
	release := make(chan struct{})
	source := func(context.Context) (loaders.Upstream, error) {
		entered <- struct{}{}
		<-release
		return nil, loaders.ErrNotConnected
	}
	e := newEnv(t, server.Config{Source: source, TenantQueueWait: -1})
	key := e.key("tenant-a", settings.RoleReader)
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before the server closes: no handler stays held

	results := make(chan *gqlResponse, burst)
	for range burst {
		go func() { results <- e.post(key, spaceQuery, nil) }()
	}
	mostGoroutines := runtime.NumGoroutine()
	guard := time.After(60 * time.Second) // a hang guard only; nothing is timed
	refused := 0
	for refused < burst-limit {
		select {
		case r := <-results:
			if r.Status != 429 || r.code() != graph.CodeRateLimited {
				t.Fatalf("an operation beyond the bound: HTTP %d, code %q; want 429, %s", r.Status, r.code(), graph.CodeRateLimited)
			}
			refused++
			mostGoroutines = max(mostGoroutines, runtime.NumGoroutine())
		case <-guard:
			t.Fatalf("refused %d of %d, %d started; want %d refused at once", refused, burst, len(entered), burst-limit)
		}
	}
	for i := range limit { // the admitted operations reach their work
		select {
		case <-entered:
		case <-guard:
			t.Fatalf("%d operations started their work, want %d", i, limit)
		}
	}
	if extra := len(entered); extra != 0 {
		t.Errorf("operations that started their work = %d, want %d", limit+extra, limit)
	}
	free()
	for range limit {
		if r := <-results; r.Status != 200 || r.code() != graph.CodeNotConnected {
			t.Errorf("an admitted operation: HTTP %d, code %q; want 200, %s", r.Status, r.code(), graph.CodeNotConnected)
		}
	}
	if mostGoroutines >= 5000 {
		t.Errorf("peak goroutines = %d, want under 5,000", mostGoroutines)
	}
}
