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
	// MinRate is the lowest rate SlowDown can bring a key to; default
	// Rate/50 (1/s for a rate of 50/s), at most Rate.
	MinRate float64
	// Recovery is how fast a slowed-down key's rate grows back towards
	// Rate, in requests/s per second; default 1.
	Recovery float64
	// CutInterval is the shortest time between two decreases of one key's
	// rate (the replicas' calls in flight all report one overload); default
	// 1s.
	CutInterval time.Duration
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

// Limiter is a token bucket per key shared through Redis, whose rate
// adapts (SlowDown) and which can be paused (Pause). It implements
// confluence.Limiter, confluence.Pauser and confluence.RateAdapter and is
// safe for concurrent use. Create it with New.
type Limiter struct {
	rdb  redis.Scripter
	cfg  Config
	args []any // the scripts' common arguments (see script.go)
	log  *slog.Logger

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
	if cfg.MinRate <= 0 || cfg.MinRate > cfg.Rate {
		cfg.MinRate = min(cfg.Rate, max(cfg.Rate/50, math.SmallestNonzeroFloat32))
	}
	if cfg.Recovery <= 0 {
		cfg.Recovery = 1
	}
	if cfg.CutInterval <= 0 {
		cfg.CutInterval = time.Second
	}
	// A bucket left alone for this long is full again and its rate back at
	// the ceiling, which is what a missing key reads as; one extra second
	// covers rounding.
	refill := time.Duration(float64(cfg.Burst) / cfg.Rate * float64(time.Second))
	regrow := time.Duration((cfg.Rate - cfg.MinRate) / cfg.Recovery * float64(time.Second))
	ttl := max(refill, regrow) + time.Second
	return &Limiter{
		rdb: rdb,
		cfg: cfg,
		args: []any{strconv.FormatFloat(cfg.Rate, 'g', -1, 64), cfg.Burst, ttl.Milliseconds(),
			strconv.FormatFloat(cfg.Recovery, 'g', -1, 64), strconv.FormatFloat(cfg.MinRate, 'g', -1, 64)},
		log:   log,
		local: map[string]*rate.Limiter{},
	}, nil
}

// DelayError is Wait's answer when the next grant for the key (a token,
// or the end of a pause) comes after the context's deadline: Wait returns
// it at once instead of sleeping into the deadline. It matches
// context.DeadlineExceeded.
type DelayError struct {
	Key   string
	Delay time.Duration // how long until the next grant
}

func (e *DelayError) Error() string {
	return fmt.Sprintf("ratebudget: %s: next grant in %s, after the deadline", e.Key, e.Delay)
}

// RetryAfter returns Delay; the confluence client reads it through this method.
func (e *DelayError) RetryAfter() time.Duration { return e.Delay }

// Is matches context.DeadlineExceeded.
func (e *DelayError) Is(target error) bool { return target == context.DeadlineExceeded }

// Wait blocks until the bucket for key grants one request (and key is not
// paused), and returns nil; returns a *DelayError at once when ctx's
// deadline comes before the next grant; or returns ctx.Err() as soon as
// ctx ends. When Redis fails it falls back to the in-process bucket for
// key (see the package doc).
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
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return &DelayError{Key: key, Delay: wait}
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
	res, err := takeScript.Run(ctx, l.rdb, []string{l.cfg.Prefix + key}, l.args...).Int64Slice()
	if err != nil {
		return 0, err
	}
	if len(res) != 3 {
		return 0, fmt.Errorf("ratebudget: script returned %d values, want 3", len(res))
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
	now := time.Now()
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		r.CancelAt(now)
		return &DelayError{Key: key, Delay: d}
	}
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Pause makes every Limiter sharing the Redis key grant nothing for key
// until d has passed on the Redis clock (it never shortens a pause), and
// empties key's bucket so that no burst follows the pause. The confluence
// client calls it after a 429 with Retry-After. While Redis is
// unreachable Pause does nothing and returns the error: each replica's
// client still pauses its own calls.
func (l *Limiter) Pause(ctx context.Context, key string, d time.Duration) error {
	_, err := l.throttle(ctx, key, 0, d)
	return err
}

// SlowDown multiplies key's shared rate by factor (0 < factor < 1), at
// most once per Config.CutInterval and never below Config.MinRate; the
// rate then grows back by Config.Recovery per second up to Config.Rate.
// While Redis is unreachable it does nothing and returns the error (the
// in-process fallback keeps the configured rate).
func (l *Limiter) SlowDown(ctx context.Context, key string, factor float64) error {
	if !(factor > 0 && factor < 1) {
		return fmt.Errorf("ratebudget: slow-down factor %v must be in (0, 1)", factor)
	}
	_, err := l.throttle(ctx, key, factor, 0)
	return err
}

// throttle runs throttleScript and returns key's rate after it.
func (l *Limiter) throttle(ctx context.Context, key string, factor float64, pause time.Duration) (float64, error) {
	if l.redisDown() {
		return 0, errors.New("ratebudget: Redis unreachable")
	}
	args := append(append([]any(nil), l.args...), strconv.FormatFloat(factor, 'g', -1, 64),
		pause.Microseconds(), l.cfg.CutInterval.Microseconds())
	milli, err := throttleScript.Run(ctx, l.rdb, []string{l.cfg.Prefix + key}, args...).Int64()
	if err != nil {
		if ctx.Err() == nil {
			l.markDown(err)
		}
		return 0, fmt.Errorf("ratebudget: %w", err)
	}
	l.markUp()
	return float64(milli) / 1000, nil
}
