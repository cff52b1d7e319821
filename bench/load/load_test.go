package main

import (
	"strings"
	"testing"
	"time"
)

func TestLoadCheckRunsWithoutErrors(t *testing.T) {
	cfg := Config{Clients: 3, Tenants: 2, Duration: time.Minute, MaxRequests: 4, Spaces: 1, PagesPerSpace: 40}
	st, err := startStack(t.Context(), cfg)
	if err != nil {
		t.Fatalf("startStack: %v", err)
	}
	defer st.Close()
	// The service runs with serve's defaults: only where its data lives,
	// its port and the simulator it reaches differ.
	var changed []string
	for _, ch := range st.changed {
		changed = append(changed, ch.Field)
	}
	if got, want := strings.Join(changed, ","), "Addr,DatabaseURL,LocalKeyFile,Client.GatewayURL,Client.AllowedDevHost"; got != want {
		t.Errorf("settings changed from serve's defaults = %s, want %s", got, want)
	}
	rep := Report{Config: cfg, Machine: thisMachine(), Date: time.Now().UTC(), Changed: st.changed}
	for _, q := range st.queries() {
		r, err := st.measure(t.Context(), q, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.Errors != 0 {
			t.Errorf("%s: %d errors, first %q; want 0", q.Name, r.Errors, r.FirstError)
		}
		if got, want := r.Requests, cfg.Clients*cfg.MaxRequests; got != want {
			t.Errorf("%s: %d requests measured, want %d", q.Name, got, want)
		}
		if r.P50 <= 0 || r.P99 < r.P50 {
			t.Errorf("%s: p50 %v p99 %v, want 0 < p50 <= p99", q.Name, r.P50, r.P99)
		}
		rep.Results = append(rep.Results, r)
	}
	// The cached query costs no upstream call once warm: 12 requests, at
	// most the first of each tenant goes upstream (3 calls: page, space, user).
	if got := rep.Results[0].UpstreamPerQ; got > 1.5 {
		t.Errorf("cached query: %.2f upstream calls per request, want it served from the cache", got)
	}
	md := rep.Markdown()
	for _, want := range []string{sectionBegin, "| cached: ", "| nested: ", "`Client.AllowedDevHost = ", sectionEnd} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestFlagBounds(t *testing.T) {
	for _, args := range [][]string{{"-clients", "0"}, {"-clients", "100000"}, {"-duration", "1h"}, {"-tenants", "9", "-clients", "4"}} {
		if err := run(t.Context(), args, nil, new(strings.Builder)); err == nil {
			t.Errorf("run(%v) = nil, want a bounds error", args)
		}
	}
}
