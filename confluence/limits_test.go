package confluence_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// TestUsersBulkIsRetried: the read-only users-bulk POST is retried like a
// GET on 503 (only reads are retried, and this POST only reads).
func TestUsersBulkIsRetried(t *testing.T) {
	t.Parallel()
	var posts atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/wiki/api/v2/users-bulk" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if posts.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"results":[{"accountId":"acc-1","displayName":"Alice"}],"_links":{}}`))
	})
	c, srv, sl := newTestClient(t, h, nil)
	users, err := c.Users.GetMany(t.Context(), []string{"acc-1"})
	if err != nil {
		t.Fatalf("GetMany: %v", err)
	}
	if len(users) != 1 || users[0].DisplayName != "Alice" {
		t.Errorf("users = %+v, want Alice", users)
	}
	// One retry.
	srv.wantRequests(t, "requests", 2)
	if got, want := len(sl.all()), 1; got != want {
		t.Errorf("retry waits = %d, want %d", got, want)
	}
}

// TestLimitsArePerClient: the rate limiter and the concurrency limit belong
// to one Client (one tenant): a client that has used up its budget or its
// slots makes its own next call wait, and sends nothing, while another
// tenant's client for the same site is served at once.
func TestLimitsArePerClient(t *testing.T) {
	t.Parallel()
	t.Run("rate limiter", func(t *testing.T) {
		t.Parallel()
		slow := func(o *confluence.Options) { o.RateLimit, o.RateBurst = 0.01, 1 } // one token per 100s
		a, srv, _ := newTestClient(t, jsonHandler(200, pageJSON), slow)
		b := sameSiteClient(t, a, slow)
		if _, _, err := a.Pages.Get(t.Context(), "1", nil); err != nil {
			t.Fatalf("a first call: %v", err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		if _, _, err := a.Pages.Get(ctx, "2", nil); !isLocalRefusal(err) {
			t.Errorf("a second call: error %v, want a local *RateLimitError (its bucket is empty)", err)
		}
		if _, _, err := b.Pages.Get(ctx, "2", nil); err != nil {
			t.Errorf("b first call: %v, want success (its own bucket is full)", err)
		}
		// Client a's first request and b's.
		srv.wantRequests(t, "site requests", 2)
	})
	t.Run("concurrency limit", func(t *testing.T) {
		t.Parallel()
		arrived := make(chan struct{}, 4)
		release := make(chan struct{})
		var n atomic.Int64
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			if strings.HasSuffix(r.URL.Path, "/pages/held") {
				arrived <- struct{}{}
				<-release
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(pageJSON))
		})
		one := func(o *confluence.Options) { o.MaxConcurrency = 1 }
		a, _, _ := newTestClient(t, h, one)
		b := sameSiteClient(t, a, one)
		held := make(chan error, 1)
		go func() {
			_, _, err := a.Pages.Get(context.WithoutCancel(t.Context()), "held", nil)
			held <- err
		}()
		<-arrived // a's only slot is taken
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		if _, _, err := a.Pages.Get(ctx, "2", nil); !isLocalRefusal(err) {
			t.Errorf("a second call: error %v, want a local *RateLimitError (no free slot)", err)
		}
		if got, want := n.Load(), int64(1); got != want {
			t.Errorf("requests while a's slot is held = %d, want %d", got, want)
		}
		bctx, bcancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer bcancel()
		if _, _, err := b.Pages.Get(bctx, "2", nil); err != nil {
			t.Errorf("b call: %v, want success (its own slot is free)", err)
		}
		close(release)
		if err := <-held; err != nil {
			t.Errorf("held call: %v", err)
		}
	})
}

// TestDownloadSizeCap: an attachment larger than MaxDownloadBytes fails
// with ErrResponseTooLarge instead of being cut short.
func TestDownloadSizeCap(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wiki/rest/api/content/5/child/attachment/att9/download":
			http.Redirect(w, r, "http://"+r.Host+"/media/file/att9/binary", http.StatusFound)
		case "/media/file/att9/binary":
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write([]byte(strings.Repeat("x", 4096)))
		default:
			http.NotFound(w, r)
		}
	})
	c, _, _ := newTestClient(t, h, func(o *confluence.Options) { o.MaxDownloadBytes = 1024 })
	f, _, err := c.Attachments.Download(t.Context(), "5", "att9")
	if !errors.Is(err, confluence.ErrResponseTooLarge) {
		t.Errorf("Download = %d bytes, error %v; want ErrResponseTooLarge", len(dataOf(f)), err)
	}
	big, _, _ := newTestClient(t, h, func(o *confluence.Options) { o.MaxDownloadBytes = 4096 })
	if f, _, err := big.Attachments.Download(t.Context(), "5", "att9"); err != nil || len(f.Data) != 4096 {
		t.Errorf("Download at the cap = %d bytes, error %v; want 4096, nil", len(dataOf(f)), err)
	}
}

// sameSiteClient is a second client (another tenant's credentials) for
// the development site of c.
func sameSiteClient(t *testing.T, c *confluence.Client, mod func(*confluence.Options)) *confluence.Client {
	t.Helper()
	o := confluence.Options{
		Site: c.Site(), AllowedDevHost: c.Site(), GatewayURL: "http://" + c.Site(),
		Email: "other@example.com", Token: "other-token", TokenType: confluence.TokenClassic, RateLimit: -1,
	}
	if mod != nil {
		mod(&o)
	}
	b, err := confluence.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dataOf(f *confluence.File) []byte {
	if f == nil {
		return nil
	}
	return f.Data
}

// TestCallTimeoutBoundsCallsWithoutDeadline: a call whose context has no
// deadline still ends, with ErrTimeout, after Options.CallTimeout.
func TestCallTimeoutBoundsCallsWithoutDeadline(t *testing.T) {
	t.Parallel()
	c, srv, _ := newTestClient(t, silentHandler(t), func(o *confluence.Options) {
		o.CallTimeout = 100 * time.Millisecond
		o.AttemptTimeout = time.Hour
		o.MaxRetries = -1
	})
	if _, _, err := c.Pages.Get(context.Background(), "1", nil); !errors.Is(err, confluence.ErrTimeout) {
		t.Errorf("error %v, want ErrTimeout from CallTimeout", err)
	}
	srv.wantRequests(t, "requests", 1)
}

// TestBreakerIsPerClientAndIgnores429: 429 answers never open the breaker
// (backoff handles them), and one tenant's open breaker does not stop
// another tenant's client.
func TestBreakerIsPerClientAndIgnores429(t *testing.T) {
	t.Parallel()
	throttled, srv429, _ := newTestClient(t, jsonHandler(429, `{"statusCode":429,"message":"slow down"}`), func(o *confluence.Options) {
		o.MaxRetries = -1
		o.BreakerFailures = 2
	})
	failGets(t, throttled, 5, confluence.ErrRateLimited)
	if got, want := throttled.BreakerState(), "closed"; got != want {
		t.Errorf("breaker after five 429s = %s, want %s", got, want)
	}
	srv429.wantRequests(t, "requests", 5)

	var fail atomic.Bool
	fail.Store(true)
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(pageJSON))
	})
	opts := func(o *confluence.Options) {
		o.MaxRetries = -1
		o.BreakerFailures = 1
		o.BreakerTimeout = time.Hour
	}
	a, _, _ := newTestClient(t, h, opts)
	b, srvB, _ := newTestClient(t, h, opts)
	if _, _, err := a.Pages.Get(t.Context(), "1", nil); !errors.Is(err, confluence.ErrUnavailable) {
		t.Fatalf("a: error %v, want ErrUnavailable", err)
	}
	if got, want := a.BreakerState(), "open"; got != want {
		t.Fatalf("a's breaker = %s, want %s", got, want)
	}
	fail.Store(false)
	if _, _, err := b.Pages.Get(t.Context(), "1", nil); err != nil {
		t.Errorf("b with a's breaker open: %v, want success", err)
	}
	srvB.wantRequests(t, "b's requests", 1)
}

// TestTenantInfoSurvivesALeaderCancel: concurrent cloudId lookups share one
// request, and the caller that started it giving up does not fail the
// others.
func TestTenantInfoSurvivesALeaderCancel(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 4)
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_edge/tenant_info" {
			http.NotFound(w, r)
			return
		}
		arrived <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"cloudId":"11111111-2222-3333-4444-555555555555"}`))
	})
	c, srv, _ := newTestClient(t, h, nil)
	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := c.TenantInfo(leaderCtx)
		leaderErr <- err
	}()
	<-arrived
	follower := make(chan error, 1)
	var got atomic.Value
	go func() {
		info, err := c.TenantInfo(t.Context())
		if info != nil {
			got.Store(info.CloudID)
		}
		follower <- err
	}()
	// Let the follower join the lookup in flight; joining late only adds a
	// request and cannot make this test fail.
	time.Sleep(50 * time.Millisecond)
	cancelLeader()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error %v, want context.Canceled", err)
	}
	close(release)
	if err := <-follower; err != nil {
		t.Fatalf("follower error %v, want success", err)
	}
	if got.Load() != "11111111-2222-3333-4444-555555555555" || c.CloudID() != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("follower cloudId %v, client CloudID %q; want the site's", got.Load(), c.CloudID())
	}
	if n := srv.n.Load(); n < 1 || n > 2 {
		t.Errorf("tenant_info requests = %d, want 1 (2 only if the follower joined late)", n)
	}
}
