package ratebudget

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// DefaultPrefix is the Redis key prefix of the buckets.
const DefaultPrefix = "cg:rate:"

// Config configures a Limiter.
type Config struct {
	// Rate is the sustained rate per key in requests per second; it must
	// be positive.
	Rate float64
	// Burst is the bucket's capacity per key; it must be at least 1.
	Burst int
	// Prefix is prepended to every key in Redis; empty means DefaultPrefix.
	Prefix string
	// RetryRedisAfter is how long the Limiter uses its in-process fallback
	// after a Redis error before it asks Redis again; default 5s. It keeps
	// an unreachable Redis from adding a dial timeout to every request.
	RetryRedisAfter time.Duration
	// Logger receives one warning when Redis becomes unreachable and one
	// info line when it answers again; nil means slog.Default().
	Logger *slog.Logger
}

// Limiter is a token bucket per key shared through Redis. It implements
// confluence.Limiter and is safe for concurrent use. Create it with New.
type Limiter struct {
	rdb   redis.Scripter
	cfg   Config
	ttlMS string
	log   *slog.Logger

	mu        sync.Mutex
	local     map[string]*rate.Limiter // fail-open buckets, one per key seen during an outage
	downUntil time.Time                // zero while Redis answers
	degraded  bool                     // an outage has been logged and not yet its end
}

// New returns a Limiter that keeps its buckets in rdb (a *redis.Client,
// *redis.ClusterClient or similar; the caller keeps ownership and closes
// it). It returns an error when cfg.Rate or cfg.Burst is out of range; it
// does not contact Redis.
func New(rdb redis.Scripter, cfg Config) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("ratebudget: nil Redis client")
	}
	if !(cfg.Rate > 0) || math.IsInf(cfg.Rate, 0) {
		return nil, fmt.Errorf("ratebudget: rate %v must be a positive number", cfg.Rate)
	}
	if cfg.Burst < 1 {
		return nil, fmt.Errorf("ratebudget: burst %d must be at least 1", cfg.Burst)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if cfg.RetryRedisAfter <= 0 {
		cfg.RetryRedisAfter = 5 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	// A bucket left alone for this long is full again, which is what a
	// missing key reads as; one extra second covers rounding.
	ttl := time.Duration(float64(cfg.Burst)/cfg.Rate*float64(time.Second)) + time.Second
	return &Limiter{
		rdb:   rdb,
		cfg:   cfg,
		ttlMS: strconv.FormatInt(ttl.Milliseconds(), 10),
		log:   log,
		local: map[string]*rate.Limiter{},
	}, nil
}

// Wait blocks until the bucket for key grants one request, and returns
// nil; or returns ctx.Err() as soon as ctx ends. When Redis fails it
// falls back to the in-process bucket for key (see the package doc); then
// it may also return context.DeadlineExceeded at once when ctx's deadline
// comes before the next local token.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.redisDown() {
			return l.waitLocal(ctx, key)
		}
		wait, err := l.take(ctx, key)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			l.markDown(err)
			return l.waitLocal(ctx, key)
		}
		l.markUp()
		if wait == 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// take runs the script once: it returns 0 when a token was granted, else
// how long until the next one is due.
func (l *Limiter) take(ctx context.Context, key string) (time.Duration, error) {
	res, err := takeScript.Run(ctx, l.rdb, []string{l.cfg.Prefix + key},
		strconv.FormatFloat(l.cfg.Rate, 'g', -1, 64), l.cfg.Burst, l.ttlMS).Int64Slice()
	if err != nil {
		return 0, err
	}
	if len(res) != 2 {
		return 0, fmt.Errorf("ratebudget: script returned %d values, want 2", len(res))
	}
	if res[0] == 1 {
		return 0, nil
	}
	return max(time.Duration(res[1])*time.Microsecond, time.Millisecond), nil
}

func (l *Limiter) redisDown() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.downUntil.IsZero() && time.Now().Before(l.downUntil)
}

func (l *Limiter) markDown(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.downUntil = time.Now().Add(l.cfg.RetryRedisAfter)
	if !l.degraded {
		l.degraded = true
		l.log.Warn("ratebudget: Redis unreachable; limiting each replica on its own until it answers",
			"error", err.Error(), "retry_after", l.cfg.RetryRedisAfter.String())
	}
}

func (l *Limiter) markUp() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.downUntil = time.Time{}
	if l.degraded {
		l.degraded = false
		clear(l.local)
		l.log.Info("ratebudget: Redis answers again; the rate budget is shared across replicas")
	}
}

// Degraded reports whether the Limiter is using its in-process fallback
// because Redis failed and has not answered since.
func (l *Limiter) Degraded() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.degraded
}

func (l *Limiter) waitLocal(ctx context.Context, key string) error {
	l.mu.Lock()
	lim, ok := l.local[key]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(l.cfg.Rate), l.cfg.Burst)
		l.local[key] = lim
	}
	l.mu.Unlock()
	if err := lim.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return context.DeadlineExceeded // the wait would pass ctx's deadline
	}
	return nil
}
