package envelope_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// fakeClock is a settable clock for Cache.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// loader counts loads per key and returns "<tenant>@<version>#<n>".
type loader struct {
	mu    sync.Mutex
	calls map[envelope.CacheKey]int
}

func (l *loader) For(key envelope.CacheKey) func(context.Context) ([]byte, error) {
	return func(context.Context) ([]byte, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.calls == nil {
			l.calls = make(map[envelope.CacheKey]int)
		}
		l.calls[key]++
		return fmt.Appendf(nil, "%s@%d#%d", key.TenantID, key.Version, l.calls[key]), nil
	}
}

func (l *loader) Calls(key envelope.CacheKey) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls[key]
}

func newTestCache(max int) (*envelope.Cache, *fakeClock, *loader) {
	clock := &fakeClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	c := envelope.NewCache(envelope.CacheOptions{MaxEntries: max, TTL: 10 * time.Minute, Now: clock.Now})
	return c, clock, &loader{}
}

func get(t *testing.T, c *envelope.Cache, l *loader, key envelope.CacheKey) string {
	t.Helper()
	v, err := c.Get(context.Background(), key, l.For(key))
	if err != nil {
		t.Fatalf("Get(%v): %v", key, err)
	}
	return string(v)
}

// wantLoads checks how many times l loaded each key of want.
func wantLoads(t *testing.T, l *loader, want map[envelope.CacheKey]int) {
	t.Helper()
	for key, n := range want {
		if got := l.Calls(key); got != n {
			t.Errorf("loads of %v = %d, want %d", key, got, n)
		}
	}
}

var (
	a1 = envelope.CacheKey{TenantID: "a", Version: 1}
	a2 = envelope.CacheKey{TenantID: "a", Version: 2}
	b1 = envelope.CacheKey{TenantID: "b", Version: 1}
	c1 = envelope.CacheKey{TenantID: "c", Version: 1}
)

func TestCacheHit(t *testing.T) {
	c, _, l := newTestCache(8)
	if got, want := get(t, c, l, a1), "a@1#1"; got != want {
		t.Fatalf("first Get = %q, want %q", got, want)
	}
	if got, want := get(t, c, l, a1), "a@1#1"; got != want {
		t.Fatalf("second Get = %q, want cached %q", got, want)
	}
	if got := l.Calls(a1); got != 1 {
		t.Errorf("loads = %d, want 1", got)
	}
}

func TestCacheVersionIsPartOfKey(t *testing.T) {
	c, _, l := newTestCache(8)
	get(t, c, l, a1)
	if got, want := get(t, c, l, a2), "a@2#1"; got != want {
		t.Fatalf("Get(version 2) = %q, want %q (not version 1's value)", got, want)
	}
}

func TestCacheReturnsCopies(t *testing.T) {
	c, _, l := newTestCache(8)
	v, err := c.Get(context.Background(), a1, l.For(a1))
	if err != nil {
		t.Fatal(err)
	}
	clear(v)
	if got, want := get(t, c, l, a1), "a@1#1"; got != want {
		t.Fatalf("Get after caller zeroed its copy = %q, want %q", got, want)
	}
}

func TestCacheTTL(t *testing.T) {
	tests := []struct {
		name      string
		advance   time.Duration
		wantLoads int
	}{
		{"just before expiry", 10*time.Minute - time.Nanosecond, 1},
		{"at expiry", 10 * time.Minute, 2},
		{"long after", time.Hour, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, clock, l := newTestCache(8)
			get(t, c, l, a1)
			clock.Advance(tc.advance)
			get(t, c, l, a1)
			if got := l.Calls(a1); got != tc.wantLoads {
				t.Errorf("loads = %d, want %d", got, tc.wantLoads)
			}
		})
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c, _, l := newTestCache(2)
	get(t, c, l, a1)
	get(t, c, l, b1)
	get(t, c, l, a1) // a1 is now more recent than b1
	get(t, c, l, c1) // evicts b1
	if got, want := c.Len(), 2; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	get(t, c, l, a1)
	get(t, c, l, b1)
	wantLoads(t, l, map[envelope.CacheKey]int{a1: 1, b1: 2, c1: 1})
}

func TestCacheDrop(t *testing.T) {
	c, _, l := newTestCache(8)
	get(t, c, l, a1)
	get(t, c, l, a2)
	get(t, c, l, b1)
	c.Drop("a")
	if got, want := c.Len(), 1; got != want {
		t.Errorf("Len() after Drop = %d, want %d", got, want)
	}
	get(t, c, l, a1)
	get(t, c, l, a2)
	get(t, c, l, b1)
	wantLoads(t, l, map[envelope.CacheKey]int{a1: 2, a2: 2, b1: 1})
}

func TestCacheErrorsAreNotCached(t *testing.T) {
	c, _, _ := newTestCache(8)
	errBoom := errors.New("boom")
	calls := 0
	load := func(context.Context) ([]byte, error) {
		calls++
		if calls == 1 {
			return nil, errBoom
		}
		return []byte("ok"), nil
	}
	if _, err := c.Get(context.Background(), a1, load); !errors.Is(err, errBoom) {
		t.Fatalf("first Get error = %v, want %v", err, errBoom)
	}
	v, err := c.Get(context.Background(), a1, load)
	if err != nil || string(v) != "ok" {
		t.Fatalf("second Get = %q, %v; want \"ok\", nil", v, err)
	}
	if calls != 2 {
		t.Errorf("loads = %d, want 2", calls)
	}
}

// blockingLoad returns a load that counts its calls in loads and returns
// value once release is closed.
func blockingLoad(value string) (load func(context.Context) ([]byte, error), loads *atomic.Int32, release chan struct{}) {
	loads, release = new(atomic.Int32), make(chan struct{})
	load = func(context.Context) ([]byte, error) {
		loads.Add(1)
		<-release
		return []byte(value), nil
	}
	return load, loads, release
}

// TestCacheSingleflight starts N concurrent Gets of a cold key while the
// load is blocked; synctest.Wait returns once every goroutine is blocked, so
// all N have joined before the load is released.
func TestCacheSingleflight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, _, _ := newTestCache(8)
		const n = 50
		load, loads, release := blockingLoad("token")
		results := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				v, err := c.Get(context.Background(), a1, load)
				if err != nil {
					t.Errorf("Get: %v", err)
				}
				results[i] = string(v)
			})
		}
		synctest.Wait()
		close(release)
		wg.Wait()
		if got := loads.Load(); got != 1 {
			t.Errorf("loads = %d for %d concurrent cold Gets, want 1", got, n)
		}
		for i, got := range results {
			if got != "token" {
				t.Errorf("result %d = %q, want %q", i, got, "token")
			}
		}
	})
}

// TestCacheDropDuringLoad checks that a load that started before Drop does
// not put the dropped credential back, and that Gets after Drop do not join it.
func TestCacheDropDuringLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, _, _ := newTestCache(8)
		slow, loads, release := blockingLoad("old")
		done := make(chan string)
		go func() {
			v, _ := c.Get(context.Background(), a1, slow)
			done <- string(v)
		}()
		synctest.Wait()
		c.Drop("a")
		fresh := func(context.Context) ([]byte, error) { loads.Add(1); return []byte("new"), nil }
		v, err := c.Get(context.Background(), a1, fresh)
		if err != nil || string(v) != "new" {
			t.Fatalf("Get after Drop = %q, %v; want \"new\" from a fresh load", v, err)
		}
		close(release)
		if got, want := <-done, "old"; got != want {
			t.Errorf("in-flight Get = %q, want %q", got, want)
		}
		synctest.Wait()
		v, _ = c.Get(context.Background(), a1, fresh)
		if got, want := loads.Load(), int32(2); got != want || string(v) != "new" {
			t.Errorf("loads = %d, value %q; want %d, \"new\" (dropped load not stored)", got, v, want)
		}
	})
}

func TestCacheWaiterCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, _, _ := newTestCache(8)
		release := make(chan struct{})
		load := func(ctx context.Context) ([]byte, error) {
			<-release
			return []byte("token"), ctx.Err()
		}
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error)
		go func() {
			_, err := c.Get(ctx, a1, load)
			errc <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled Get error = %v, want context.Canceled", err)
		}
		close(release)
		v, err := c.Get(context.Background(), a1, load)
		if err != nil || string(v) != "token" {
			t.Fatalf("Get after cancelled waiter = %q, %v; want the shared load's value", v, err)
		}
	})
}
