package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// TestSimPrintsBannerAndServes runs the sim command in-process on a free
// port, reads its banner and calls the simulator it announced.
func TestSimPrintsBannerAndServes(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"sim", "--addr", "127.0.0.1:0", "--dataset", "demo"}, pw, io.Discard)
		pw.Close()
		done <- err
	}()
	// The demo's accounts, as the simulator itself lists them.
	demo := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	accounts := demo.Accounts()
	demo.Close()
	wantTypes := map[string]int{}
	for _, a := range accounts {
		wantTypes[string(a.Type)]++
	}
	sc := bufio.NewScanner(pr)
	var lines []string
	for len(lines) < 2+len(accounts) && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(lines) != 2+len(accounts) {
		t.Fatalf("banner = %q, want %d lines (base url, cloud id, %d accounts)", lines, 2+len(accounts), len(accounts))
	}
	base, ok := strings.CutPrefix(lines[0], "base url: ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("line 1 = %q, want base url: http://127.0.0.1:PORT", lines[0])
	}
	cloudID, ok := strings.CutPrefix(lines[1], "cloud id: ")
	if !ok || cloudID == "" {
		t.Errorf("line 2 = %q, want cloud id: ID", lines[1])
	}
	types := map[string]int{}
	for _, l := range lines[2:] {
		f := strings.Fields(strings.TrimPrefix(l, "account: "))
		if !strings.HasPrefix(l, "account: ") || len(f) != 4 {
			t.Fatalf("account line = %q, want account: EMAIL TOKEN TYPE SCOPES", l)
		}
		types[f[2]]++
		if f[2] == "classic" && f[3] != "-" {
			t.Errorf("classic account scopes = %q, want -", f[3])
		}
		if f[2] == "scoped" && !strings.Contains(f[3], "read:page:confluence") && !strings.Contains(f[3], "read:confluence-content.summary") {
			t.Errorf("scoped account scopes = %q, want a comma list with read:page:confluence or read:confluence-content.summary", f[3])
		}
	}
	if fmt.Sprint(types) != fmt.Sprint(wantTypes) || types["classic"] == 0 || types["scoped"] == 0 {
		t.Errorf("account types = %v, want %v (the demo's accounts)", types, wantTypes)
	}

	resp, err := http.Get(base + "/_edge/tenant_info")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ CloudID string }
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil || got.CloudID != cloudID {
		t.Errorf("tenant_info cloudId = %q (err %v), want %q", got.CloudID, err, cloudID)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("sim returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not return after its context was cancelled")
	}
}

func TestSimRejectsUnknownDataset(t *testing.T) {
	var stderr strings.Builder
	err := run(t.Context(), []string{"sim", "--addr", "127.0.0.1:0", "--dataset", "nope"}, io.Discard, &stderr)
	if err != errUsage {
		t.Fatalf("err = %v, want errUsage", err)
	}
	if !strings.Contains(stderr.String(), `unknown dataset "nope"`) {
		t.Errorf("stderr = %q, want it to name the dataset", stderr.String())
	}
}

// simAccount is one "account:" banner line.
type simAccount struct{ email, token, typ string }

// startSim runs the sim command in-process with args and returns the base
// URL and accounts from its banner; the command stops with the test.
func startSim(t *testing.T, args ...string) (string, []simAccount) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"sim", "--addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sim returned %v after cancel, want nil", err)
		}
	})
	sc := bufio.NewScanner(pr)
	var base string
	var accts []simAccount
	for sc.Scan() {
		l := sc.Text()
		if b, ok := strings.CutPrefix(l, "base url: "); ok {
			base = b
		}
		if a, ok := strings.CutPrefix(l, "account: "); ok {
			f := strings.Fields(a)
			accts = append(accts, simAccount{email: f[0], token: f[1], typ: f[2]})
		}
		if len(accts) == 4 {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if base == "" || len(accts) != 4 {
		t.Fatalf("banner gave base %q and %d accounts, want a base url and 4 accounts", base, len(accts))
	}
	return base, accts
}

// simGet GETs url as a within timeout; status 0 means no answer came.
func simGet(t *testing.T, url string, a simAccount, timeout time.Duration) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(a.email, a.token)
	c := &http.Client{Timeout: timeout}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// TestSimFlagsConfigureTheSimulator: --dataset bench with --spaces and
// --pages sizes the data, --rate-limit/--burst answer 429 once the bucket
// is empty, and --fault-rate 1 fails every request.
func TestSimFlagsConfigureTheSimulator(t *testing.T) {
	base, accts := startSim(t, "--dataset", "bench", "--spaces", "2", "--pages", "7", "--rate-limit", "0.001", "--burst", "2", "--latency", "1ms")
	a := accts[0]
	if a.typ != "classic" {
		t.Fatalf("first account type = %q, want classic", a.typ)
	}
	status, spaces := simGet(t, base+"/wiki/api/v2/spaces?limit=250", a, 5*time.Second)
	if status != http.StatusOK {
		t.Fatalf("GET spaces: %d", status)
	}
	list, _ := spaces["results"].([]any)
	if len(list) != 2 {
		t.Fatalf("bench spaces = %d, want 2 (--spaces 2)", len(list))
	}
	id, _ := list[0].(map[string]any)["id"].(string)
	status, pages := simGet(t, base+"/wiki/api/v2/spaces/"+id+"/pages?limit=250&status=current&status=archived&status=trashed", a, 5*time.Second)
	if status != http.StatusOK {
		t.Fatalf("GET space pages: %d", status)
	}
	if got, _ := pages["results"].([]any); len(got) != 7 {
		t.Errorf("pages in space %s = %d, want 7 (--pages 7)", id, len(got))
	}
	if status, _ := simGet(t, base+"/wiki/api/v2/spaces", a, 5*time.Second); status != http.StatusTooManyRequests {
		t.Errorf("third request with --rate-limit 0.001 --burst 2: %d, want 429", status)
	}

	// A fault may be a hang past the client's deadline: a short timeout
	// keeps the test quick, and no answer (status 0) counts as a fault.
	fbase, faccts := startSim(t, "--dataset", "demo", "--fault-rate", "1")
	for i := range 3 {
		if status, _ := simGet(t, fbase+"/wiki/api/v2/spaces", faccts[0], 500*time.Millisecond); status == http.StatusOK {
			t.Errorf("request %d with --fault-rate 1: 200, want a fault", i+1)
		}
	}
	if status, _ := simGet(t, base+"/wiki/api/v2/spaces", a, 5*time.Second); status == 0 {
		t.Errorf("the first simulator stopped answering")
	}
}

// TestSimDataCenterFlavor runs `sim --flavor datacenter`: the banner names the
// base URL with its context path and a PAT that reads the v1 routes as Bearer.
func TestSimDataCenterFlavor(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	go func() {
		_ = run(ctx, []string{"sim", "--addr", "127.0.0.1:0", "--flavor", "datacenter", "--context-path", "/wiki-dc"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var base, pat string
	for sc.Scan() && pat == "" {
		l := sc.Text()
		if v, ok := strings.CutPrefix(l, "base url: "); ok {
			base = v
		}
		if v, ok := strings.CutPrefix(l, "pat: "); ok {
			pat = strings.Fields(v)[1]
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if !strings.HasSuffix(base, "/wiki-dc") || pat == "" {
		t.Fatalf("banner base %q pat %q", base, pat)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/rest/api/space?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+pat)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("space list = %d", resp.StatusCode)
	}
}
