package confluencetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func TestRateLimit(t *testing.T) {
	s := MustDemo(t)
	classic, other := s.Account("classic"), s.Account("restricted")
	// A very slow refill: the bucket holds 2 requests and does not refill
	// within the test, so the third request is limited.
	s.SetRateLimit(0.001, 2)
	u := s.URL() + "/wiki/api/v2/spaces"
	for i := range 2 {
		r := mustGet(t, u, classic)
		if got, want := r.header.Get("X-RateLimit-Remaining"), strconv.Itoa(1-i); got != want {
			t.Errorf("request %d: X-RateLimit-Remaining = %q, want %q", i+1, got, want)
		}
	}
	r := get(t, u, classic)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("third request: %d, want 429", r.status)
	}
	if ra, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After = %q, want a positive number of seconds", r.header.Get("Retry-After"))
	}
	for h, want := range map[string]string{"X-RateLimit-Limit": "0.001", "X-RateLimit-Remaining": "0", "RateLimit-Reason": "confluence-burst-based"} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if _, err := time.Parse(time.RFC3339, r.header.Get("X-RateLimit-Reset")); err != nil {
		t.Errorf("X-RateLimit-Reset = %q, want an ISO 8601 time", r.header.Get("X-RateLimit-Reset"))
	}
	mustGet(t, u, other) // buckets are per account
	if got := s.Stats().ByStatus[429]; got != 1 {
		t.Errorf("ByStatus[429] = %d, want 1", got)
	}

	s.SetRateLimit(0, 0)
	mustGet(t, u, classic)

	if r := do(t, http.MethodPost, s.URL()+"/__sim/rate-limit", confluencetest.Account{}, strings.NewReader(`{"perSecond":0.001,"burst":1}`)); r.status != http.StatusNoContent {
		t.Fatalf("POST /__sim/rate-limit: %d", r.status)
	}
	mustGet(t, u, classic)
	if r := get(t, u, classic); r.status != http.StatusTooManyRequests {
		t.Errorf("after /__sim/rate-limit burst 1: second request %d, want 429", r.status)
	}
}

// TestRateLimitNearLimit: X-RateLimit-NearLimit is "true" once less than
// 20% of the bucket is left (Confluence's documented threshold), and absent before.
func TestRateLimitNearLimit(t *testing.T) {
	s, a := demoClassic(t)
	s.SetRateLimit(0.001, 10) // no refill within the test
	var near []string
	for range 10 {
		r := mustGet(t, s.URL()+"/wiki/api/v2/spaces", a)
		near = append(near, r.header.Get("X-RateLimit-Remaining")+":"+r.header.Get("X-RateLimit-NearLimit"))
	}
	want := []string{"9:", "8:", "7:", "6:", "5:", "4:", "3:", "2:", "1:true", "0:true"}
	if !slices.Equal(near, want) {
		t.Errorf("remaining:near-limit = %v, want %v", near, want)
	}
}

func TestInjectedFaults(t *testing.T) {
	s, a := demoClassic(t)
	s.InjectFaults(
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503, RetryAfter: "2", PathPrefix: "/api/v2/pages"},
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "1"},
	)
	// /spaces does not match the first fault, so it takes the second.
	r := get(t, s.URL()+"/wiki/api/v2/spaces", a)
	if r.status != 429 || r.header.Get("Retry-After") != "1" {
		t.Errorf("spaces: %d Retry-After %q, want 429 with 1", r.status, r.header.Get("Retry-After"))
	}
	r = get(t, s.URL()+"/wiki/api/v2/pages/100003", a)
	if r.status != 503 || r.header.Get("Retry-After") != "2" {
		t.Errorf("pages: %d Retry-After %q, want 503 with 2", r.status, r.header.Get("Retry-After"))
	}
	mustGet(t, s.URL()+"/wiki/api/v2/pages/100003", a)
	if got := s.PendingFaults(); got != 0 {
		t.Errorf("PendingFaults = %d, want 0", got)
	}
	if st := s.Stats(); st.Faults != 2 || st.ByStatus[503] != 1 {
		t.Errorf("stats = %+v, want 2 faults and one 503", st)
	}

	s.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultReset})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+"/wiki/api/v2/spaces", nil)
	req.SetBasicAuth(a.Email, a.Token)
	// A fresh connection: Go retries a GET that failed on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("reset fault: got a response %d, want a transport error", resp.StatusCode)
	}

	s.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultHang})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/wiki/api/v2/spaces", nil)
	req.SetBasicAuth(a.Email, a.Token)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("hang fault: got %d, want the client deadline to expire", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang fault error = %v, want context.DeadlineExceeded", err)
	}

	if r := do(t, http.MethodPost, s.URL()+"/__sim/faults", confluencetest.Account{}, strings.NewReader(`[{"kind":"status","status":502},{"kind":1,"status":504}]`)); r.status != http.StatusNoContent {
		t.Fatalf("POST /__sim/faults: %d %s", r.status, r.body)
	}
	for _, want := range []int{502, 504} {
		if r := get(t, s.URL()+"/wiki/api/v2/spaces", a); r.status != want {
			t.Errorf("after /__sim/faults: %d, want %d", r.status, want)
		}
	}
	if r := do(t, http.MethodPost, s.URL()+"/__sim/faults", confluencetest.Account{}, strings.NewReader(`[{"kind":"explode"}]`)); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "explode") {
		t.Errorf("unknown fault kind: %d %s, want 400 naming it", r.status, r.body)
	}
}

func TestFaultRate(t *testing.T) {
	s, a := demoClassic(t)
	s.SetFaultRate(1)
	client := &http.Client{Timeout: 200 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	for range 8 {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+"/wiki/api/v2/spaces", nil)
		req.SetBasicAuth(a.Email, a.Token)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 502 && resp.StatusCode != 503 {
				t.Errorf("fault rate 1: status %d, want 502/503 or a transport error", resp.StatusCode)
			}
		}
	}
	if got := s.Stats().Faults; got != 8 {
		t.Errorf("Faults = %d, want 8", got)
	}
	s.SetFaultRate(0)
	mustGet(t, s.URL()+"/wiki/api/v2/spaces", a)
}

func TestLatencySwitchOverHTTP(t *testing.T) {
	s := MustDemo(t)
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"latency":"1ms","jitter":"1ms"}`, http.StatusNoContent},
		{`{"latency":"soon"}`, http.StatusBadRequest},
		{`not json`, http.StatusBadRequest},
	} {
		if r := do(t, http.MethodPost, s.URL()+"/__sim/latency", confluencetest.Account{}, strings.NewReader(tc.body)); r.status != tc.want {
			t.Errorf("POST /__sim/latency %s: %d, want %d", tc.body, r.status, tc.want)
		}
	}
	a := s.Account("classic")
	mustGet(t, s.URL()+"/wiki/api/v2/spaces", a)

	// An hour of latency outlasts any client deadline; zero removes it.
	if r := do(t, http.MethodPost, s.URL()+"/__sim/latency", confluencetest.Account{}, strings.NewReader(`{"latency":"1h"}`)); r.status != http.StatusNoContent {
		t.Fatalf("POST /__sim/latency 1h: %d", r.status)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/wiki/api/v2/spaces", nil)
	req.SetBasicAuth(a.Email, a.Token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("with 1h latency: got %d before the deadline, want a timeout", resp.StatusCode)
	}
	s.SetLatency(0, 0)
	mustGet(t, s.URL()+"/wiki/api/v2/spaces", a)
}

func TestStatsAndWrites(t *testing.T) {
	s, a := demoClassic(t)
	mustGet(t, s.URL()+"/wiki/api/v2/pages/100003/labels", a)
	mustGet(t, s.GatewayURL()+"/wiki/api/v2/pages/100008/labels", a)
	get(t, s.URL()+"/wiki/api/v2/pages/999/labels", a)
	get(t, s.URL()+"/wiki/api/v2/no-such-thing", a)
	writes := []struct{ method, path, key string }{
		{http.MethodPost, "/wiki/api/v2/pages", "POST /wiki/api/v2/pages"},
		{http.MethodPut, "/wiki/api/v2/pages/100003", "PUT /wiki/api/v2/pages/{id}"},
		{http.MethodDelete, "/wiki/api/v2/pages/100003", "DELETE /wiki/api/v2/pages/{id}"},
		{http.MethodPost, "/wiki/rest/api/content", "POST unmatched"},
	}
	for _, w := range writes {
		if r := do(t, w.method, s.URL()+w.path, a, strings.NewReader("{}")); r.status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want 405", w.method, w.path, r.status)
		}
	}
	get(t, s.URL()+"/__sim/stats", confluencetest.Account{}) // not counted

	st := s.Stats()
	if st.Total != 8 || st.Writes != 4 {
		t.Errorf("Total = %d, Writes = %d; want 8 and 4", st.Total, st.Writes)
	}
	if got := s.Count("GET /wiki/api/v2/pages/{id}/labels"); got != 3 {
		t.Errorf("Count(labels) = %d, want 3", got)
	}
	for _, w := range writes {
		if got := st.ByEndpoint[w.key]; got != 1 {
			t.Errorf("ByEndpoint[%q] = %d, want 1", w.key, got)
		}
	}
	if st.ByStatus[200] != 2 || st.ByStatus[404] != 2 || st.ByStatus[405] != 4 {
		t.Errorf("ByStatus = %v, want 200:2 404:2 405:4", st.ByStatus)
	}

	var overHTTP confluencetest.Stats
	if err := json.Unmarshal(mustGet(t, s.URL()+"/__sim/stats", confluencetest.Account{}).body, &overHTTP); err != nil {
		t.Fatal(err)
	}
	if overHTTP.Total != 8 || overHTTP.ByEndpoint["GET /wiki/api/v2/pages/{id}/labels"] != 3 {
		t.Errorf("GET /__sim/stats = %+v", overHTTP)
	}
	if r := do(t, http.MethodPost, s.URL()+"/__sim/stats/reset", confluencetest.Account{}, nil); r.status != http.StatusNoContent {
		t.Fatalf("reset: %d", r.status)
	}
	if st := s.Stats(); st.Total != 0 || len(st.ByEndpoint) != 0 {
		t.Errorf("after reset: %+v", st)
	}
	mustGet(t, s.URL()+"/wiki/api/v2/spaces", a)
	s.ResetStats()
	if got := s.Count("GET /wiki/api/v2/spaces"); got != 0 {
		t.Errorf("after ResetStats: Count = %d, want 0", got)
	}
}
