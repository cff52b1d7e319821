package ratebudget_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/ratebudget"
)

var _ confluence.Limiter = (*ratebudget.Limiter)(nil)

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}) // New validates the config only; nothing is sent
	defer rdb.Close()
	tests := []struct {
		name string
		cfg  ratebudget.Config
	}{
		{name: "zero rate", cfg: ratebudget.Config{Burst: 1}},
		{name: "negative rate", cfg: ratebudget.Config{Rate: -1, Burst: 1}},
		{name: "zero burst", cfg: ratebudget.Config{Rate: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := ratebudget.New(rdb, tt.cfg); err == nil || !strings.HasPrefix(err.Error(), "ratebudget: ") {
				t.Errorf("New(%+v) error = %v, want a ratebudget error", tt.cfg, err)
			}
		})
	}
	if _, err := ratebudget.New(nil, ratebudget.Config{Rate: 1, Burst: 1}); err == nil {
		t.Error("New(nil client) error = nil, want an error")
	}
}

// TestReplicasShareOneBudget: two Limiters with their own Redis clients
// (two replicas) hammering one key are granted, together, no more than
// burst + rate × elapsed, elapsed measured on the Redis clock the bucket
// uses; and at least the burst, which the full bucket grants at once.
func TestReplicasShareOneBudget(t *testing.T) {
	t.Parallel()
	opts := redisOptions(t)
	prefix := testPrefix(t, opts)
	const (
		rate    = 40.0
		burst   = 10
		workers = 4 // per replica
	)
	cfg := ratebudget.Config{Rate: rate, Burst: burst, Prefix: prefix}
	var replicas [2]*ratebudget.Limiter
	for i := range replicas {
		lim, err := ratebudget.New(newRedis(t, opts), cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		replicas[i] = lim
	}
	clock := newRedis(t, opts)

	start := redisNow(t, clock)
	ctx, cancel := context.WithTimeout(t.Context(), 700*time.Millisecond)
	defer cancel()
	var granted [2]atomic.Int64
	var wg sync.WaitGroup
	for i, lim := range replicas {
		for range workers {
			wg.Go(func() {
				for lim.Wait(ctx, "acme.atlassian.net") == nil {
					granted[i].Add(1)
				}
			})
		}
	}
	wg.Wait()
	end := redisNow(t, clock)

	total := granted[0].Load() + granted[1].Load()
	limit := int64(float64(burst) + rate*(end-start))
	if total > limit {
		t.Errorf("granted %d (%d + %d) in %.3fs of Redis time, want at most burst + rate×elapsed = %d",
			total, granted[0].Load(), granted[1].Load(), end-start, limit)
	}
	if total < burst {
		t.Errorf("granted %d, want at least the burst %d", total, burst)
	}
	for i, lim := range replicas {
		if lim.Degraded() {
			t.Errorf("replica %d degraded, want it to have used Redis throughout", i)
		}
	}
	ttl, err := clock.PTTL(t.Context(), prefix+"acme.atlassian.net").Result()
	if err != nil || ttl <= 0 {
		t.Errorf("bucket PTTL = %v, %v; want a positive expiry", ttl, err)
	}
}

// TestKeysAreIndependent: emptying one key's bucket leaves another's full.
func TestKeysAreIndependent(t *testing.T) {
	t.Parallel()
	lim := replicas(t, 1, ratebudget.Config{Rate: 0.001, Burst: 2})[0]
	grantsThenNone(t, lim, "a.atlassian.net", 2, "next token due in 1000s")
	for i := range 2 {
		if err := lim.Wait(t.Context(), "b.atlassian.net"); err != nil {
			t.Errorf("b: Wait %d: %v, want a grant from its own full bucket", i+1, err)
		}
	}
}

// TestWaitEndsWithItsContext: a Wait for a token due in 1000s returns
// context.Canceled once its context is cancelled.
func TestWaitEndsWithItsContext(t *testing.T) {
	t.Parallel()
	lim := replicas(t, 1, ratebudget.Config{Rate: 0.001, Burst: 1})[0]
	if err := lim.Wait(t.Context(), "k"); err != nil {
		t.Fatalf("first Wait: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- lim.Wait(ctx, "k") }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Wait error = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Wait did not return after its context was cancelled")
	}
}

// TestFailsOpenWhileRedisIsDown: with Redis unreachable (every dial fails)
// Wait keeps granting from an in-process bucket of the same rate and
// burst, logs the outage once, and returns to Redis when it answers.
func TestFailsOpenWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	opts := *redisOptions(t)
	var down atomic.Bool
	down.Store(true)
	var dialer net.Dialer
	opts.Dialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if down.Load() {
			return nil, errors.New("connection refused (test outage)")
		}
		return dialer.DialContext(ctx, network, addr)
	}
	opts.MaxRetries = -1
	var logs bytes.Buffer
	lim, err := ratebudget.New(newRedis(t, &opts), ratebudget.Config{
		Rate: 0.001, Burst: 2, Prefix: testPrefix(t, &opts),
		RetryRedisAfter: time.Nanosecond, // ask Redis again on every Wait
		Logger:          slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}

	grantsThenNone(t, lim, "k", 2, "while down: the local bucket keeps the rate")
	if !lim.Degraded() {
		t.Error("Degraded() = false while Redis is down, want true")
	}
	if got, want := strings.Count(logs.String(), "Redis unreachable"), 1; got != want {
		t.Errorf("outage logged %d times, want %d:\n%s", got, want, logs.String())
	}

	down.Store(false)
	if err := lim.Wait(t.Context(), "k"); err != nil {
		t.Fatalf("Wait after Redis is back: %v", err)
	}
	if lim.Degraded() {
		t.Error("Degraded() = true after Redis answered, want false")
	}
	if got, want := strings.Count(logs.String(), "answers again"), 1; got != want {
		t.Errorf("recovery logged %d times, want %d:\n%s", got, want, logs.String())
	}
}
