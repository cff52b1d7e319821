package confluence_test

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// dcRecorder is a fake Data Center at /confluence that records every request.
type dcRecorder struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (d *dcRecorder) handler(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.reqs = append(d.reqs, r)
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Header.Get("Authorization") != "Bearer dc-pat-1":
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("<html><body><h1>HTTP Status 401 – Unauthorized</h1></body></html>"))
	case r.URL.Path == "/confluence/rest/api/space" && r.URL.Query().Get("start") == "":
		_, _ = w.Write([]byte(`{"results":[{"id":1,"key":"A","name":"A"}],"start":0,"limit":1,"size":1,"_links":{"base":"https://wiki.corp.example/confluence","context":"/confluence","next":"/rest/api/space?limit=1&start=1"}}`))
	case r.URL.Path == "/confluence/rest/api/content/search" && r.URL.Query().Get("start") == "":
		_, _ = w.Write([]byte(`{"results":[{"id":"7","type":"page"}],"start":0,"limit":1,"size":1,"_links":{"context":"/confluence","next":"/rest/api/content/search?cql=type+%3D+page&limit=1&start=1"}}`))
	case r.URL.Path == "/confluence/rest/api/content/search":
		_, _ = w.Write([]byte(`{"results":[{"id":"8","type":"page"}],"start":1,"limit":1,"size":1,"_links":{"context":"/confluence"}}`))
	case r.URL.Path == "/confluence/rest/api/content/404":
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"statusCode":404,"data":{"authorized":false,"valid":true,"allowedInReadOnlyMode":true,"errors":[],"successful":false},"message":"No content found with id: ContentId{id=404}","reason":"Not Found"}`))
	case strings.HasPrefix(r.URL.Path, "/confluence/rest/"):
		_, _ = w.Write([]byte(`{"id":"1","type":"page","title":"T","number":2,"_links":{"download":"/download/attachments/1/a.txt?version=1&api=v2"}}`))
	case r.URL.Path == "/confluence/download/attachments/1/a.txt":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("hello"))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (d *dcRecorder) paths() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, r := range d.reqs {
		out = append(out, r.URL.Path)
	}
	return out
}

func newDCClient(t *testing.T, base, pat, dev string, hosts *confluence.HostAllowList) (*confluence.Client, error) {
	t.Helper()
	return confluence.NewClient(confluence.Options{AllowedDevHost: dev, MaxRetries: -1, RateLimit: -1,
		DataCenter: &confluence.DataCenterOptions{BaseURL: base, PAT: pat, Hosts: hosts}})
}

func TestDataCenterRoutesUnderContextPathWithBearer(t *testing.T) {
	rec := &dcRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(rec.handler))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	c, err := newDCClient(t, srv.URL+"/confluence/", "dc-pat-1", host, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if c.WikiURL() != srv.URL+"/confluence" || !c.DataCenter() {
		t.Fatalf("WikiURL = %q", c.WikiURL())
	}
	if _, _, err := c.Content.Get(ctx, "123", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Content.Version(ctx, "123", 2); err != nil {
		t.Fatal(err)
	}
	var keys []string
	ss, resp, err := c.Content.Spaces(ctx, nil)
	if err != nil || resp.NextStart() != 1 {
		t.Fatalf("first space page: %v, next start %d", err, resp.NextStart())
	}
	keys = append(keys, ss[0].Key)
	// The next link is context-relative ("/rest/api/space?..."): followed under the base.
	for x, err := range c.Search.ContentIter(ctx, &confluence.ContentSearchOptions{CQL: "type = page"}) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, x.ID)
	}
	if strings.Join(keys, ",") != "A,7,8" {
		t.Fatalf("pages = %v", keys)
	}
	f, _, err := c.Attachments.Download(ctx, "1", "att9")
	if err != nil || string(f.Data) != "hello" {
		t.Fatalf("download = %v, %v", f, err)
	}
	want := "/confluence/rest/api/content/123,/confluence/rest/experimental/content/123/version/2,/confluence/rest/api/space,/confluence/rest/api/content/search,/confluence/rest/api/content/search,/confluence/rest/api/content/att9,/confluence/download/attachments/1/a.txt"
	if got := strings.Join(rec.paths(), ","); got != want {
		t.Fatalf("paths\n got %s\nwant %s", got, want)
	}
	for _, r := range rec.reqs {
		if r.Header.Get("Authorization") != "Bearer dc-pat-1" {
			t.Fatalf("%s sent %q", r.URL.Path, r.Header.Get("Authorization"))
		}
	}
	// v2, users-bulk and the gateway do not exist on Data Center: nothing is sent.
	n := len(rec.paths())
	if _, _, err := c.Pages.Get(ctx, "123", nil); !errors.Is(err, confluence.ErrUnsupported) {
		t.Fatalf("v2 page = %v, want ErrUnsupported", err)
	}
	if _, err := c.Content.UsersBulk(ctx, []string{"x"}); !errors.Is(err, confluence.ErrUnsupported) {
		t.Fatalf("users bulk = %v, want ErrUnsupported", err)
	}
	if len(rec.paths()) != n {
		t.Fatalf("unsupported calls sent requests: %v", rec.paths()[n:])
	}
	// DC's 404 body is a not-found; Tomcat's HTML 401 is a rejected PAT.
	if _, _, err := c.Content.Get(ctx, "404", nil); !errors.Is(err, confluence.ErrNotFound) {
		t.Fatalf("404 = %v", err)
	}
	bad, _ := newDCClient(t, srv.URL+"/confluence", "expired", host, nil)
	_, _, err = bad.Content.Get(ctx, "123", nil)
	if !errors.Is(err, confluence.ErrCredentialsRejected) || strings.Contains(err.Error(), "expired-") {
		t.Fatalf("bad PAT = %v", err)
	}
}

func TestDataCenterHostRules(t *testing.T) {
	hosts, err := confluence.ParseHostAllowList([]string{"wiki.corp.example, 10.20.0.0/16", "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]bool{"wiki.corp.example": true, "WIKI.corp.example.": true, "other.corp.example": false,
		"10.20.3.4": true, "10.21.0.1": false, "192.0.2.7": true, "[::1]": false} {
		if hosts.AllowsHost(h) != want {
			t.Errorf("AllowsHost(%s) = %v", h, !want)
		}
	}
	if _, err := confluence.ParseHostAllowList([]string{"https://wiki.corp.example"}); err == nil {
		t.Error("a URL was accepted as a host")
	}
	for base, ok := range map[string]bool{
		"https://wiki.corp.example/confluence":      true,
		"https://wiki.corp.example:8443/confluence": true,
		"https://10.20.0.9/confluence":              true,
		"http://wiki.corp.example/confluence":       false, // plain http
		"https://evil.example/confluence":           false, // not on the list
		"https://u:p@wiki.corp.example/confluence":  false,
		"wiki.corp.example/confluence":              false,
	} {
		_, err := newDCClient(t, base, "p", "", hosts)
		if (err == nil) != ok || (err != nil && !errors.Is(err, confluence.ErrHostNotAllowed)) {
			t.Errorf("%s: err = %v", base, err)
		}
	}
	cloud, _ := confluence.ParseHostAllowList([]string{"acme.atlassian.net"})
	if _, err := newDCClient(t, "https://acme.atlassian.net/wiki", "p", "", cloud); err == nil || !strings.Contains(err.Error(), "Cloud") {
		t.Errorf("a Cloud site as Data Center: %v", err)
	}
	if _, err := newDCClient(t, "https://wiki.corp.example", "", "", hosts); err == nil {
		t.Error("no PAT accepted")
	}
}

// TestDataCenterTLS: a self-signed instance fails with a clear error until
// its CA bundle is given; the base URL's port is dialled.
func TestDataCenterTLS(t *testing.T) {
	rec := &dcRecorder{}
	srv := httptest.NewTLSServer(http.HandlerFunc(rec.handler))
	defer srv.Close()
	hosts, _ := confluence.ParseHostAllowList([]string{"127.0.0.1"})
	c, err := newDCClient(t, srv.URL+"/confluence", "dc-pat-1", "", hosts)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Content.Get(context.Background(), "1", nil)
	if err == nil || !strings.Contains(err.Error(), "--datacenter-ca-file") {
		t.Fatalf("self-signed without CA = %v", err)
	}
	if len(rec.paths()) != 0 {
		t.Fatal("a request reached the server without a trusted certificate")
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool, err := confluence.LoadCABundle(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err = confluence.NewClient(confluence.Options{MaxRetries: -1, DataCenter: &confluence.DataCenterOptions{
		BaseURL: srv.URL + "/confluence", PAT: "dc-pat-1", Hosts: hosts, RootCAs: pool}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Content.Get(context.Background(), "1", nil); err != nil {
		t.Fatalf("with the CA bundle: %v", err)
	}
	if _, err := confluence.LoadCABundle(filepath.Join(t.TempDir(), "none.pem")); err == nil {
		t.Error("a missing bundle loaded")
	}
}

// TestDataCenterClientAgainstSimulator reads the Data Center simulator
// through the client: current user by user key, version, content,
// experimental versions and an attachment download, with deterministic calls.
func TestDataCenterClientAgainstSimulator(t *testing.T) {
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithFlavor(confluencetest.FlavorDataCenter))
	defer sim.Close()
	acct := sim.Account("classic")
	c, err := newDCClient(t, sim.BaseURL(), acct.Token, sim.Host(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	me, _, err := c.Users.Current(ctx)
	if err != nil || me.UserKey != confluencetest.UserKey(acct.AccountID) || me.AccountID != "" {
		t.Fatalf("current = %+v, %v", me, err)
	}
	byName, _, err := c.Users.ByUsername(ctx, me.Username)
	if err != nil || byName.UserKey != me.UserKey {
		t.Fatalf("by username = %+v, %v", byName, err)
	}
	info, _, err := c.ServerInformation(ctx)
	if err != nil || info.Version != confluencetest.DataCenterVersion {
		t.Fatalf("server information = %+v, %v", info, err)
	}
	page := sim.PageIDs("ENG")[0]
	sim.ResetStats()
	if _, _, err := c.Content.Get(ctx, page, &confluence.ContentGetOptions{Expand: []string{"history"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Content.Versions(ctx, page, nil); err != nil {
		t.Fatal(err)
	}
	if got := sim.Stats().Total; got != 2 {
		t.Fatalf("calls = %d, want 2", got)
	}
	bad, _ := newDCClient(t, sim.BaseURL(), "expired-pat", sim.Host(), nil)
	if _, _, err := bad.Users.Current(ctx); !errors.Is(err, confluence.ErrCredentialsRejected) {
		t.Fatalf("expired PAT = %v", err)
	}
	noCtx, _ := newDCClient(t, sim.URL(), acct.Token, sim.Host(), nil)
	if _, _, err := noCtx.Users.Current(ctx); !errors.Is(err, confluence.ErrNotFound) {
		t.Fatalf("base URL without the context path = %v", err)
	}
}
