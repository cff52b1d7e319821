package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/readpolicy"
	"github.com/confluence-graph/confluence-graph/settings"
)

// siteRouter carries the client's https requests for Atlassian site names to simulators over
// plain HTTP, and points the simulators' media redirects back at the site they came from. It
// sits below the client's host guard, which checks every request against the tenant's own site.
type siteRouter struct {
	mu    sync.Mutex
	sites map[string]string // "one.atlassian.net" -> the simulator's "127.0.0.1:port"
}

func (m *siteRouter) add(site, simHost string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sites[site] = simHost
}

func (m *siteRouter) RoundTrip(r *http.Request) (*http.Response, error) {
	m.mu.Lock()
	target, ok := m.sites[r.URL.Hostname()]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("no simulator for %s", r.URL.Host)
	}
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host, out.Host = "http", target, target
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "http://"+target+"/") {
		resp.Header.Set("Location", "https://"+r.URL.Host+strings.TrimPrefix(loc, "http://"+target))
	}
	return resp, nil
}

// Two tenants on two sites (two simulators) each download their own site's file under the same
// attachment id, and neither finds a file that only the other's site has: the attachment is
// looked up and fetched with the caller's tenant's credentials on its own site, and the other
// site gets no call.
func TestDownloadIsIsolatedAcrossSites(t *testing.T) {
	router := &siteRouter{sites: map[string]string{}}
	s := newStack(t, stackOptions{client: func(o *confluence.Options) { o.Transport = router }})
	one, two := s.sim, testsupport.StartSim(t)
	router.add("one.atlassian.net", one.Host())
	router.add("two.atlassian.net", two.Host())
	shared := func(body string) confluencetest.Attachment {
		return confluencetest.Attachment{ID: "att396001", PageID: "100031", Title: "notes.txt", MediaType: "text/plain", Content: []byte(body)}
	}
	onlyOne := confluencetest.Attachment{ID: "att396002", PageID: "100031", Title: "one.txt", MediaType: "text/plain", Content: []byte("only on site one")}
	onlyTwo := confluencetest.Attachment{ID: "att396003", PageID: "100031", Title: "two.txt", MediaType: "text/plain", Content: []byte("only on site two")}
	if err := one.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{shared("site one's notes"), onlyOne}}); err != nil {
		t.Fatal(err)
	}
	if err := two.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{shared("site two's notes"), onlyTwo}}); err != nil {
		t.Fatal(err)
	}
	testsupport.Connect(t, s.svc, "tenant-a", "one.atlassian.net", one.Account("classic"))
	testsupport.Connect(t, s.svc, "tenant-b", "two.atlassian.net", two.Account("classic"))
	keys := map[string]string{"a": s.key("tenant-a", settings.RoleReader), "b": s.key("tenant-b", settings.RoleReader)}
	sims := map[string]*confluencetest.Server{"a": one, "b": two}
	other := map[string]string{"a": "b", "b": "a"}

	for _, tt := range []struct {
		tenant, id string
		status     int
		body       string
	}{
		{"a", "att396001", http.StatusOK, "site one's notes"},
		{"b", "att396001", http.StatusOK, "site two's notes"},
		{"a", "att396002", http.StatusOK, "only on site one"},
		{"b", "att396003", http.StatusOK, "only on site two"},
		{"a", "att396003", http.StatusNotFound, ""}, // site two's file, asked by tenant A
		{"b", "att396002", http.StatusNotFound, ""}, // site one's file, asked by tenant B
	} {
		one.ResetStats()
		two.ResetStats()
		status, _, _, body := download(t, s.http.URL+"/attachments/"+tt.id+"/download", keys[tt.tenant])
		if status != tt.status || (tt.status == http.StatusOK && body != tt.body) || (tt.status != http.StatusOK && !strings.Contains(body, "NOT_FOUND")) {
			t.Errorf("tenant %s, %s: %d %.120q; want %d %q", tt.tenant, tt.id, status, body, tt.status, tt.body)
		}
		if strings.Contains(body, "only on site") && tt.status != http.StatusOK {
			t.Errorf("tenant %s, %s: the other site's bytes leaked: %q", tt.tenant, tt.id, body)
		}
		if n := sims[other[tt.tenant]].Stats().Total; n != 0 {
			t.Errorf("tenant %s, %s: the other site got %d calls, want 0", tt.tenant, tt.id, n)
		}
		if n := sims[tt.tenant].Count("GET /wiki/api/v2/attachments/{id}"); n != 1 {
			t.Errorf("tenant %s, %s: %d attachment lookups on its own site, want 1", tt.tenant, tt.id, n)
		}
	}
}

// A tenant whose read policy hides the attachment's page gets the 404 of a missing attachment,
// without a download; a file on a page the policy allows is served.
func TestDownloadHonoursTheReadPolicy(t *testing.T) {
	s := newStack(t, stackOptions{})
	opsPage := s.sim.PageIDs("OPS")[0]
	hidden := confluencetest.Attachment{ID: "att395001", PageID: "100031", Title: "pir.txt", MediaType: "text/plain", Content: []byte("PIR notes")}
	allowed := confluencetest.Attachment{ID: "att395002", PageID: opsPage, Title: "ops.txt", MediaType: "text/plain", Content: []byte("OPS notes")}
	if err := s.sim.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{hidden, allowed}}); err != nil {
		t.Fatal(err)
	}
	s.connect("tenant-a", "classic")
	if res, err := s.svc.SetReadPolicy(t.Context(), "tenant-a", "admin", readpolicy.Policy{AllowedSpaces: []string{"OPS"}}); err != nil || !res.OK() {
		t.Fatalf("SetReadPolicy = %v, %v", res.Codes(), err)
	}
	key := s.key("tenant-a", settings.RoleReader)

	s.sim.ResetStats()
	status, _, _, body := download(t, s.http.URL+"/attachments/"+hidden.ID+"/download", key)
	missStatus, _, _, missBody := download(t, s.http.URL+"/attachments/att395999/download", key)
	if status != http.StatusNotFound || strings.Contains(body, "PIR notes") {
		t.Errorf("hidden page's file: %d %.120s, want 404", status, body)
	}
	if status != missStatus || strings.ReplaceAll(body, hidden.ID, "ID") != strings.ReplaceAll(missBody, "att395999", "ID") {
		t.Errorf("hidden file answers %d %s; a missing one %d %s; want the same answer", status, body, missStatus, missBody)
	}
	if n := s.sim.Count("GET /wiki/rest/api/content/{id}/child/attachment/{att}/download"); n != 0 {
		t.Errorf("downloads = %d, want 0", n)
	}
	if status, _, _, body := download(t, s.http.URL+"/attachments/"+allowed.ID+"/download", key); status != http.StatusOK || body != "OPS notes" {
		t.Errorf("allowed page's file: %d %.120s, want 200 with the file", status, body)
	}
}
