package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
)

// TestLoadCheckRunsWithoutErrors runs every timed run of the check, a few
// requests per client on a small dataset, and checks what the report
// counts (never how fast).
func TestLoadCheckRunsWithoutErrors(t *testing.T) {
	cfg := Config{Clients: 3, Tenants: 2, Duration: time.Minute, MaxRequests: 4, Baselines: true, Spaces: 1, PagesPerSpace: 40}
	st, err := startStack(t.Context(), cfg)
	if err != nil {
		t.Fatalf("startStack: %v", err)
	}
	defer st.Close()
	// The service runs with serve's defaults: only where its data lives,
	// its ports and the simulator it reaches differ.
	var changed []string
	for _, ch := range st.changed {
		changed = append(changed, ch.Field)
	}
	if got, want := strings.Join(changed, ","), "Addr,MetricsAddr,DatabaseURL,LocalKeyFile,Client.GatewayURL,Client.AllowedDevHost"; got != want {
		t.Errorf("settings changed from serve's defaults = %s, want %s", got, want)
	}
	rep := Report{Config: cfg, Machine: bench.ThisMachine(), Date: time.Now().UTC(), Changed: st.changed}
	for _, s := range st.runs(cfg) {
		r, err := st.measure(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		if p := r.Problem(); p != "" {
			t.Errorf("%s", p)
		}
		if got, want := r.Complete, cfg.Clients*cfg.MaxRequests; got != want {
			t.Errorf("%s (%s): %d complete answers, want %d", r.Name, r.Mode, got, want)
		}
		if r.P50 <= 0 || r.P99 < r.P50 {
			t.Errorf("%s (%s): p50 %v p99 %v, want 0 < p50 <= p99", r.Name, r.Mode, r.P50, r.P99)
		}
		if r.Goroutines <= cfg.Clients {
			t.Errorf("%s (%s): peak goroutines %d, want more than the %d clients", r.Name, r.Mode, r.Goroutines, cfg.Clients)
		}
		rep.Results = append(rep.Results, r)
	}
	if len(rep.Results) != 4 {
		t.Fatalf("%d runs, want cached, nested and two baselines", len(rep.Results))
	}
	// The cached query costs no upstream call once warm: of 12 requests
	// only each tenant's first goes upstream (the space by key).
	if got := rep.Results[0].UpstreamPerRequest(); got > 0.5 {
		t.Errorf("cached query: %.2f upstream calls per request, want it served from the cache", got)
	}
	// The naive agents make a call per node, the API batches them.
	api, naive := rep.Results[1].UpstreamPerRequest(), rep.Results[2].UpstreamPerRequest()
	if naive <= 2*api || rep.Results[3].UpstreamPerRequest() != naive {
		t.Errorf("upstream calls per nested query: API %.1f, naive serial %.1f, naive parallel %.1f; want the naive ones equal and over twice the API's",
			api, naive, rep.Results[3].UpstreamPerRequest())
	}
	md := rep.Markdown()
	for _, want := range []string{sectionBegin, "| cached | API |", "| nested | API |", "| nested | naive serial |",
		"| nested | naive parallel |", "at least 5000 complete answers/s", "`Client.AllowedDevHost = ", cfg.Command(), sectionEnd} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

// TestBurstIsRefusedNotTimedOut sends more nested queries of one tenant at
// once than admission control lets in: every answer is complete or
// refused with RATE_LIMITED, none times out, and the process's goroutines
// stay bounded.
func TestBurstIsRefusedNotTimedOut(t *testing.T) {
	cfg := Config{Clients: 1, Tenants: 1, Burst: 100, Spaces: 1, PagesPerSpace: 40}
	st, err := startStack(t.Context(), cfg)
	if err != nil {
		t.Fatalf("startStack: %v", err)
	}
	defer st.Close()
	runs := st.runs(cfg)
	burst := runs[len(runs)-1]
	if burst.Name != "burst" || burst.Clients != cfg.Burst {
		t.Fatalf("last run is %s with %d clients, want the burst with %d", burst.Name, burst.Clients, cfg.Burst)
	}
	r, err := st.measure(t.Context(), burst)
	if err != nil {
		t.Fatal(err)
	}
	if r.TimedOut != 0 || r.Failed != 0 {
		t.Errorf("burst: %d timed out (first %q), %d failed (first %q); want none", r.TimedOut, r.FirstTimeout, r.Failed, r.FirstFailure)
	}
	if r.Complete == 0 || r.Total() != cfg.Burst {
		t.Errorf("burst: %d complete of %d answers, want some complete of %d", r.Complete, r.Total(), cfg.Burst)
	}
	if r.Goroutines >= targetBurstGoroutines {
		t.Errorf("burst: peak goroutines %d, want below %d", r.Goroutines, targetBurstGoroutines)
	}
	if p := r.Problem(); p != "" {
		t.Error(p)
	}
	t.Logf("burst of %d: %d complete, %d refused; peak %d goroutines", cfg.Burst, r.Complete, r.Refused, r.Goroutines)
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		status int
		codes  []string
		data   bool
		want   Outcome
	}{
		{http.StatusOK, nil, true, Complete},
		{http.StatusOK, nil, false, Failed},
		{http.StatusTooManyRequests, []string{"RATE_LIMITED"}, false, Refused},
		{http.StatusOK, []string{"RATE_LIMITED"}, true, Refused},
		{http.StatusOK, []string{"RATE_LIMITED", "UPSTREAM_TIMEOUT"}, true, TimedOut},
		{http.StatusOK, []string{"NOT_FOUND"}, true, Failed},
		{http.StatusServiceUnavailable, nil, false, Failed},
	} {
		if got := classify(c.status, c.codes, c.data); got != c.want {
			t.Errorf("classify(%d, %v, %v) = %d, want %d", c.status, c.codes, c.data, got, c.want)
		}
	}
	if got := transportOutcome(context.DeadlineExceeded); got != TimedOut {
		t.Errorf("transportOutcome(deadline) = %d, want TimedOut", got)
	}
	if got := transportOutcome(errors.New("connection refused")); got != Failed {
		t.Errorf("transportOutcome(refused) = %d, want Failed", got)
	}
}

func TestFlagBounds(t *testing.T) {
	for _, args := range [][]string{{"-clients", "0"}, {"-clients", "100000"}, {"-duration", "1h"}, {"-tenants", "9", "-clients", "4"},
		{"-burst", "-1"}, {"-burst", "100000"}} {
		if err := run(t.Context(), args, nil, new(strings.Builder)); err == nil {
			t.Errorf("run(%v) = nil, want a bounds error", args)
		}
	}
}

// TestClientRedialsAfterClose checks that a load client whose connection the service closed
// (Connection: close, or an error) dials again for its next request instead of failing.
func TestClientRedialsAfterClose(t *testing.T) {
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		w.Header().Set("Connection", "close")
		_, _ = w.Write([]byte(`{"data":{"space":{"name":"x"}}}`))
	}))
	defer srv.Close()
	c := newGQLClient(srv.URL+"/graphql", 1, time.Minute)
	defer c.Close()
	for n := range 3 {
		if o, msg := c.post(t.Context(), 0, "k1", []byte(`{}`), "space"); o != Complete {
			t.Fatalf("request %d: outcome %v (%s), want Complete", n, o, msg)
		}
	}
	if len(auth) != 3 || auth[2] != "Bearer k1" {
		t.Errorf("server saw %q, want three requests with the key", auth)
	}
}
