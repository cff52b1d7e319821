// Package redistest gives tests the real Redis they need (127.0.0.1:6379, or
// CG_TEST_REDIS_URL), with one rule for when it does not answer: the test
// fails under CI=true and by default; it is skipped only when
// CG_TEST_REDIS_OPTOUT=1 is set outside CI.
package redistest

import (
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// URLEnv names the variable that overrides DefaultURL; OptOutEnv the one
// that lets a developer without Redis skip (never honoured under CI=true).
const (
	URLEnv     = "CG_TEST_REDIS_URL"
	OptOutEnv  = "CG_TEST_REDIS_OPTOUT"
	DefaultURL = "redis://127.0.0.1:6379/0"
)

// URL returns the test Redis URL after checking that it answers; see the
// package comment for what happens when it does not.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(URLEnv)
	if u == "" {
		u = DefaultURL
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		tb.Fatalf("redistest: %s is not a Redis URL: %v", URLEnv, err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.Ping(tb.Context()).Err(); err != nil {
		switch {
		case os.Getenv("CI") == "true":
			tb.Fatalf("redistest: Redis at %s does not answer: %v (CI=true needs it)", opts.Addr, err)
		case os.Getenv(OptOutEnv) == "1":
			tb.Skipf("redistest: Redis at %s does not answer (%v); skipped because %s=1 outside CI", opts.Addr, err, OptOutEnv)
		default:
			tb.Fatalf("redistest: Redis at %s does not answer: %v (start Redis, or set %s=1 to skip)", opts.Addr, err, OptOutEnv)
		}
	}
	return u
}

// Options is URL parsed into client options.
func Options(tb testing.TB) *redis.Options {
	tb.Helper()
	opts, err := redis.ParseURL(URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return opts
}
