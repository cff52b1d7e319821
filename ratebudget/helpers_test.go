package ratebudget_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// testRedisAddr is the Redis the tests use; they need a real one.
const testRedisAddr = "127.0.0.1:6379"

// redisOptions returns options for the test Redis, or ends the test when it
// does not answer: a failure under CI and by default; a skip only with
// CG_TEST_REDIS_OPTOUT=1 outside CI.
func redisOptions(t *testing.T) *redis.Options {
	t.Helper()
	opts := &redis.Options{Addr: testRedisAddr}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s: %v (CI needs it)", testRedisAddr, err)
		}
		if os.Getenv("CG_TEST_REDIS_OPTOUT") == "1" {
			t.Skipf("Redis at %s: %v; skipped because CG_TEST_REDIS_OPTOUT=1", testRedisAddr, err)
		}
		t.Fatalf("Redis at %s: %v (start Redis, or set CG_TEST_REDIS_OPTOUT=1 to skip these tests)", testRedisAddr, err)
	}
	return opts
}

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
