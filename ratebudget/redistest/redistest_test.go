package redistest_test

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/ratebudget/redistest"
	"github.com/redis/go-redis/v9"
)

func TestOptionsReachAnAnsweringRedis(t *testing.T) {
	rdb := redis.NewClient(redistest.Options(t))
	defer rdb.Close()
	if got, err := rdb.Ping(t.Context()).Result(); err != nil || got != "PONG" {
		t.Errorf("PING = %q, %v; want PONG", got, err)
	}
}
