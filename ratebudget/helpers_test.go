package ratebudget_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/ratebudget"
	"github.com/confluence-graph/confluence-graph/ratebudget/redistest"
	"github.com/redis/go-redis/v9"
)

// redisOptions returns options for the test Redis (see redistest for what
// happens when it does not answer).
func redisOptions(t *testing.T) *redis.Options { return redistest.Options(t) }

// newRedis returns a client of the test Redis, closed at cleanup.
func newRedis(t *testing.T, opts *redis.Options) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// testPrefix returns a key prefix of its own for this test and deletes
// every key under it at cleanup.
func testPrefix(t *testing.T, opts *redis.Options) string {
	t.Helper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "cg:test:rate:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		rdb := redis.NewClient(opts)
		defer rdb.Close()
		ctx := context.Background()
		keys, err := rdb.Keys(ctx, prefix+"*").Result()
		if err != nil {
			t.Errorf("listing test keys: %v", err)
			return
		}
		if len(keys) > 0 {
			if err := rdb.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("deleting test keys: %v", err)
			}
		}
	})
	return prefix
}

// redisNow reads the Redis clock, the one the buckets use.
func redisNow(t *testing.T, rdb *redis.Client) (sec float64) {
	t.Helper()
	now, err := rdb.Time(t.Context()).Result()
	if err != nil {
		t.Fatalf("TIME: %v", err)
	}
	return float64(now.UnixMicro()) / 1e6
}

// grantsThenNone fails t unless lim grants n Waits for key at once and
// then refuses the next one within 300ms with an error matching
// context.DeadlineExceeded; why says why no more are due.
func grantsThenNone(t *testing.T, lim *ratebudget.Limiter, key string, n int, why string) {
	t.Helper()
	for i := range n {
		if err := lim.Wait(t.Context(), key); err != nil {
			t.Fatalf("%s: Wait %d: %v, want a grant", key, i+1, err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if err := lim.Wait(ctx, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%s: Wait %d: error = %v, want DeadlineExceeded (%s)", key, n+1, err, why)
	}
}

// replicas returns n Limiters with their own Redis clients on one prefix.
func replicas(t *testing.T, n int, cfg ratebudget.Config) []*ratebudget.Limiter {
	t.Helper()
	opts := redisOptions(t)
	cfg.Prefix = testPrefix(t, opts)
	out := make([]*ratebudget.Limiter, n)
	for i := range out {
		lim, err := ratebudget.New(newRedis(t, opts), cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		out[i] = lim
	}
	return out
}
