package ratebudget_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/ratebudget"
)

var (
	_ confluence.Pauser      = (*ratebudget.Limiter)(nil)
	_ confluence.RateAdapter = (*ratebudget.Limiter)(nil)
)

// TestPauseHoldsEveryReplica: a pause set by one replica makes another
// grant nothing until it ends on the Redis clock; a Wait whose deadline
// comes first gets a *DelayError at once; a shorter pause never shortens
// it; the first grant after it comes no earlier than its end.
func TestPauseHoldsEveryReplica(t *testing.T) {
	t.Parallel()
	r := replicas(t, 2, ratebudget.Config{Rate: 1000, Burst: 10})
	const key = "acme.atlassian.net"
	if err := r[0].Pause(t.Context(), key, 2*time.Second); err != nil {
		t.Fatalf("Pause: %v", err)
	}
	if err := r[0].Pause(t.Context(), key, time.Millisecond); err != nil {
		t.Fatalf("shorter Pause: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	err := r[1].Wait(ctx, key)
	var de *ratebudget.DelayError
	if !errors.As(err, &de) || de.Delay <= 1500*time.Millisecond || de.Delay > 2*time.Second || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("other replica's Wait: error %v, want a *DelayError of (1.5s, 2s] matching DeadlineExceeded", err)
	}
	if ctx.Err() != nil {
		t.Error("Wait slept into its deadline, want an answer at once")
	}

	rdb := newRedis(t, redisOptions(t))
	short := replicas(t, 2, ratebudget.Config{Rate: 1000, Burst: 10})
	start := redisNow(t, rdb)
	if err := short[0].Pause(t.Context(), key, 300*time.Millisecond); err != nil {
		t.Fatalf("Pause: %v", err)
	}
	if err := short[1].Wait(t.Context(), key); err != nil {
		t.Fatalf("Wait after a short pause: %v", err)
	}
	if el := redisNow(t, rdb) - start; el < 0.3 {
		t.Errorf("granted %.3fs after the pause began on the Redis clock, want at least 0.3s", el)
	}
}

// TestSlowDownIsShared: a slow-down reported by one replica halves the rate
// every replica is granted (a second one within CutInterval does not cut
// again), and the bucket answers by the slower rate.
func TestSlowDownIsShared(t *testing.T) {
	t.Parallel()
	r := replicas(t, 2, ratebudget.Config{Rate: 2, Burst: 1, Recovery: 0.0001})
	const key = "acme.atlassian.net"
	for range 2 {
		if err := r[0].SlowDown(t.Context(), key, 0.5); err != nil {
			t.Fatalf("SlowDown: %v", err)
		}
	}
	if err := r[1].Wait(t.Context(), key); err != nil {
		t.Fatalf("first Wait (full bucket): %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 700*time.Millisecond)
	defer cancel()
	// At 2/s the next token is due in 0.5s, inside the deadline; at the
	// halved 1/s it is due in 1s, after it (a quarter would be 2s).
	err := r[1].Wait(ctx, key)
	var de *ratebudget.DelayError
	if !errors.As(err, &de) || de.Delay < 900*time.Millisecond || de.Delay > time.Second {
		t.Errorf("second Wait: error %v, want a *DelayError of about 1s (the rate halved once)", err)
	}
	if err := r[0].SlowDown(t.Context(), key, 1.5); err == nil {
		t.Error("SlowDown(1.5) = nil, want an error")
	}
}

// TestSimClientsShareThePause: two replicas' clients of one site, each with
// its own Limiter on one Redis: after the first replica's call gets a 429
// with Retry-After, the second replica's call is not sent during the pause
// and is refused with a local *RateLimitError carrying it.
func TestSimClientsShareThePause(t *testing.T) {
	t.Parallel()
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(sim.Close)
	const email, token = "alice@example.com", "ATATT3xDemoClassicAlice0001" // the demo's classic account
	r := replicas(t, 2, ratebudget.Config{Rate: 1000, Burst: 100})
	clients := make([]*confluence.Client, 2)
	for i := range clients {
		c, err := confluence.NewClient(confluence.Options{
			Site: sim.Host(), AllowedDevHost: sim.Host(), GatewayURL: sim.URL(),
			Email: email, Token: token, TokenType: confluence.TokenClassic,
			Limiter: r[i], MaxRetries: -1,
		})
		if err != nil {
			t.Fatalf("NewClient: %v", err)
		}
		clients[i] = c
	}
	sim.ResetStats()
	sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "30"})
	if _, _, err := clients[0].Spaces.List(t.Context(), nil); !errors.Is(err, confluence.ErrRateLimited) {
		t.Fatalf("first replica: error %v, want ErrRateLimited", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, _, err := clients[1].Spaces.List(ctx, nil)
	var rl *confluence.RateLimitError
	if !errors.As(err, &rl) || !rl.Local || rl.RetryAfter < 25*time.Second || rl.RetryAfter > 30*time.Second {
		t.Errorf("second replica: error %v, want a local *RateLimitError with about 30s left", err)
	}
	if got := sim.Stats().Total; got != 1 {
		t.Errorf("requests = %d, want 1 (the second replica sent nothing)", got)
	}
}
