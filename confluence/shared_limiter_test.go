package confluence_test

import (
	"context"
	"errors"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// keyLimiter is a confluence.Limiter that records the keys it was asked
// for and answers with err.
type keyLimiter struct {
	recorder[string]
	err error
}

func (l *keyLimiter) Wait(_ context.Context, key string) error {
	l.add(key)
	return l.err
}

// TestSharedLimiterReplacesTheInProcessOne: with Options.Limiter set every
// attempt asks it, keyed by the site host, and RateLimit/RateBurst no
// longer apply; a Limiter error fails the call before anything is sent.
func TestSharedLimiterReplacesTheInProcessOne(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		limErr       error
		wantErr      bool
		wantRequests int64
	}{
		{name: "limiter grants: both calls are sent though the local bucket holds one token", wantRequests: 2},
		{name: "limiter fails: nothing is sent", limErr: errors.New("budget store down"), wantErr: true, wantRequests: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lim := &keyLimiter{err: tt.limErr}
			c, srv, _ := newTestClient(t, jsonHandler(200, pageJSON), func(o *confluence.Options) {
				o.RateLimit, o.RateBurst = 0.01, 1 // in-process: one token per 100s
				o.Limiter = lim
				o.MaxRetries = -1
			})
			for _, id := range []string{"1", "2"} {
				_, _, err := c.Pages.Get(t.Context(), id, nil)
				if gotErr := err != nil; gotErr != tt.wantErr {
					t.Fatalf("Pages.Get(%s) error = %v, want error %v", id, err, tt.wantErr)
				}
				if tt.wantErr && !errors.Is(err, tt.limErr) {
					t.Errorf("Pages.Get(%s) error = %v, want it to wrap %v", id, err, tt.limErr)
				}
			}
			srv.wantRequests(t, "site requests", tt.wantRequests)
			keys := lim.all()
			if got, want := len(keys), 2; got != want {
				t.Fatalf("limiter asked %d times, want %d", got, want)
			}
			for _, k := range keys {
				if got, want := k, c.Site(); got != want {
					t.Errorf("limiter key = %q, want the site %q", got, want)
				}
			}
		})
	}
}
