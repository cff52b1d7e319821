package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/confluence-graph/confluence-graph/ratebudget/redistest"
	"github.com/redis/go-redis/v9"
)

// TestServeRedisURLSharesTheRateBudget: with --redis-url the tenants'
// Confluence calls take their tokens from the Redis bucket of the site
// (cg:rate:<site>), so every replica draws from the same budget.
func TestServeRedisURLSharesTheRateBudget(t *testing.T) {
	testRedisURL := redistest.URL(t)
	opts, err := redis.ParseURL(testRedisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()

	dir := t.TempDir()
	args := []string{"--demo", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--redis-url", testRedisURL,
		"--db", filepath.Join(dir, "cg.db"), "--local-key-file", filepath.Join(dir, "master.key")}
	m, lines, _ := startServe(t, args, func(string) string { return "" })
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
