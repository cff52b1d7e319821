package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
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
	sc := bufio.NewScanner(pr)
	var lines []string
	for len(lines) < 6 && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(lines) != 6 {
		t.Fatalf("banner = %q, want 6 lines (base url, cloud id, 4 accounts)", lines)
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
		if f[2] == "scoped" && !strings.Contains(f[3], "read:page:confluence") {
			t.Errorf("scoped account scopes = %q, want a comma list with read:page:confluence", f[3])
		}
	}
	if types["classic"] != 2 || types["scoped"] != 2 {
		t.Errorf("account types = %v, want 2 classic and 2 scoped", types)
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
