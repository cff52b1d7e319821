package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/redis/go-redis/v9"
)

// testRedisURL is the Redis the --redis-url test uses.
const testRedisURL = "redis://127.0.0.1:6379/0"

// TestServeRedisURLSharesTheRateBudget: with --redis-url the tenants'
// Confluence calls take their tokens from the Redis bucket of the site
// (cg:rate:<site>), so every replica draws from the same budget.
func TestServeRedisURLSharesTheRateBudget(t *testing.T) {
	opts, err := redis.ParseURL(testRedisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s: %v (CI needs it)", testRedisURL, err)
		}
		if os.Getenv("CG_TEST_REDIS_OPTOUT") == "1" {
			t.Skipf("Redis at %s: %v; skipped because CG_TEST_REDIS_OPTOUT=1", testRedisURL, err)
		}
		t.Fatalf("Redis at %s: %v (start Redis, or set CG_TEST_REDIS_OPTOUT=1 to skip this test)", testRedisURL, err)
	}

	dir := t.TempDir()
	args := []string{"--demo", "--addr", "127.0.0.1:0", "--redis-url", testRedisURL,
		"--db", filepath.Join(dir, "cg.db"), "--local-key-file", filepath.Join(dir, "master.key")}
	m, lines, _ := startServe(t, args, func(string) string { return "" }, freeLoopbackAddr(t))
	key := "cg:rate:" + m.sim.Host()
	t.Cleanup(func() { _ = rdb.Del(context.Background(), key).Err() })

	if _, body := postGraphQL(t, m.URL(), lines["reader key"][0], runbookQuery); len(searchTitles(body)) == 0 {
		t.Fatalf("runbook search = %v, want titles", body)
	}
	n, err := rdb.Exists(t.Context(), key).Result()
	if err != nil {
		t.Fatalf("EXISTS %s: %v", key, err)
	}
	if got, want := n, int64(1); got != want {
		t.Errorf("EXISTS %s = %d, want %d (the site's shared bucket)", key, got, want)
	}
}
