package confluencetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// fixedNow is the clock of every test server.
var fixedNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// MustDemo starts a demo simulator with a fixed clock and closes it with the test.
func MustDemo(tb testing.TB, opts ...confluencetest.Option) *confluencetest.Server {
	tb.Helper()
	opts = append([]confluencetest.Option{confluencetest.WithDataset("demo"), confluencetest.WithClock(func() time.Time { return fixedNow })}, opts...)
	s := confluencetest.NewServer(opts...)
	tb.Cleanup(s.Close)
	return s
}

// demoClassic is MustDemo with its "classic" account, the caller of most tests.
func demoClassic(tb testing.TB) (*confluencetest.Server, confluencetest.Account) {
	tb.Helper()
	s := MustDemo(tb)
	return s, s.Account("classic")
}

// wantBadParam fails tb unless r is a v2 400 INVALID_REQUEST_PARAMETER
// error titled title.
func wantBadParam(tb testing.TB, r reply, title string) {
	tb.Helper()
	if r.status != http.StatusBadRequest {
		tb.Fatalf("status = %d, want 400; body %s", r.status, r.body)
	}
	e := r.json(tb)["errors"].([]any)[0].(map[string]any)
	if e["code"] != "INVALID_REQUEST_PARAMETER" || e["title"] != title {
		tb.Errorf("error = %v, want INVALID_REQUEST_PARAMETER %q", e, title)
	}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		tb.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// results returns body.results as a slice of objects.
func (r reply) results(tb testing.TB) []map[string]any {
	tb.Helper()
	raw, ok := r.json(tb)["results"].([]any)
	if !ok {
		tb.Fatalf("body %s has no results array", r.body)
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i], _ = x.(map[string]any)
	}
	return out
}

// do sends method url with Basic credentials of a (none if a.Email == "").
func do(tb testing.TB, method, url string, a confluencetest.Account, body io.Reader) reply {
	tb.Helper()
	req, err := http.NewRequestWithContext(tb.Context(), method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	if a.Email != "" {
		req.SetBasicAuth(a.Email, a.Token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func get(tb testing.TB, url string, a confluencetest.Account) reply {
	tb.Helper()
	return do(tb, http.MethodGet, url, a, nil)
}

// mustGet fails the test unless the answer is 200.
func mustGet(tb testing.TB, url string, a confluencetest.Account) reply {
	tb.Helper()
	r := get(tb, url, a)
	if r.status != http.StatusOK {
		tb.Fatalf("GET %s: status %d, want 200; body %s", url, r.status, r.body)
	}
	return r
}

func ids(rs []map[string]any) []string {
	var out []string
	for _, r := range rs {
		out = append(out, str(r["id"]))
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func jsonBody(tb testing.TB, v any) io.Reader {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return strings.NewReader(string(b))
}
