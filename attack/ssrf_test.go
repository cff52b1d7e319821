package attack_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

// ssrfSpellings are connect domains that name an internal, loopback, link-local or foreign
// host in one disguise or another; none may be contacted. (A bare single label such as
// "localhost" is a site name, completed to localhost.atlassian.net, so it is not among them.)
var ssrfSpellings = []string{
	// loopback and the unspecified address, in every notation
	"127.0.0.1", "127.1", "127.0.1", "0177.0.0.1", "0x7f.0.0.1", "http://0x7f000001/", "2130706433", "017700000001",
	"127.000.000.001", "0", "0.0.0.0", "http://localhost", "LOCALHOST:8080", "localhost.", "localhost:443", "localhost.localdomain",
	"[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::]", "http://[::1]:80/",
	// cloud metadata services
	"169.254.169.254", "http://169.254.169.254/latest/meta-data/", "2852039166", "0251.0376.0251.0376", "0xa9fea9fe:80",
	"[fd00:ec2::254]", "metadata.google.internal", "metadata.internal", "100.100.100.200",
	// private networks
	"10.0.0.1", "192.168.0.1", "172.16.0.1", "[fc00::1]", "[fe80::1]",
	// userinfo, ports, paths, fragments and queries that put another host first
	"acme.atlassian.net@127.0.0.1", "https://acme.atlassian.net@169.254.169.254", "user:pass@acme.atlassian.net",
	"acme.atlassian.net:8080", "acme.atlassian.net:22", "acme.atlassian.net:0", "127.0.0.1#.atlassian.net",
	"127.0.0.1?.atlassian.net", "127.0.0.1/acme.atlassian.net", "127.0.0.1\\@acme.atlassian.net",
	// look-alike and nested names
	"atlassian.net.127.0.0.1.nip.io", "acme.atlassian.net.evil.example", "acme.atlassian.net.", "acme.atlassian.net..",
	"127.0.0.1.atlassian.net.evil.example", "a.b.atlassian.net", "api.atlassian.com", "atlassian.net",
	// punycode, non-ASCII and control characters
	"xn--acm-bma.atlassian.net.evil.example", "acmé.atlassian.net", "ac\u200bme.atlassian.net", "acme.atlassian.net\n127.0.0.1",
	"acme\u3002atlassian\u3002net", "%61cme.atlassian.net",
	// other schemes and the simulator's own port family
	"file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://acme.atlassian.net", "http://acme.atlassian.net",
	"127.0.0.1:9090",
}

// Every SSRF spelling of the connect domain is refused with INVALID_DOMAIN or DOMAIN_NOT_ALLOWED,
// nothing is stored, and the simulator (the one reachable Confluence) gets no request.
func TestSSRFConnectDomainSpellings(t *testing.T) {
	if n := len(ssrfSpellings); n < 60 {
		t.Fatalf("%d spellings, want at least 60", n)
	}
	g := start(t)
	admin := g.key(t, "acme", settings.RoleAdmin)
	acct := g.sim.Account("classic")
	g.sim.ResetStats()
	q := `mutation($d: String!, $e: String!, $k: String!) { connectConfluence(input: { domain: $d, email: $e, apiToken: $k }) {
	  integration { domain } userErrors { code field } } }`
	for _, d := range ssrfSpellings {
		if d == g.host {
			continue
		}
		got := g.post(t, admin, q, map[string]any{"d": d, "e": acct.Email, "k": acct.Token})
		codes := got.userErrorCodes("connectConfluence")
		if len(got.Errors) != 0 || got.field("connectConfluence")["integration"] != nil ||
			!(slices.Contains(codes, string(settings.CodeInvalidDomain)) || slices.Contains(codes, string(settings.CodeDomainNotAllowed))) {
			t.Errorf("domain %q: %.300s, want INVALID_DOMAIN or DOMAIN_NOT_ALLOWED and nothing stored", d, got.Raw)
		}
	}
	if n := g.sim.Stats().Total; n != 0 {
		t.Errorf("the simulator got %d requests during the SSRF attempts, want 0", n)
	}
	if got := g.post(t, admin, `{ confluenceIntegration { domain } }`, nil); got.Data["confluenceIntegration"] != nil {
		t.Errorf("an integration was stored: %.300s", got.Raw)
	}
}

// The token is at rest only as an envelope blob: no file of the store's directory (database,
// its journal, the master key) holds the token, in plain text or base64, after a connect, a
// test and a token rotation.
func TestSecretsAtRest(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	admin := g.key(t, "acme", settings.RoleAdmin)
	if got := g.post(t, admin, `mutation { testConfluenceConnection { userErrors { code } } }`, nil); len(got.Errors) != 0 {
		t.Fatalf("test: %.300s", got.Raw)
	}
	g.connect(t, "acme", "restricted")
	cfg := g.app.Config()
	dir := filepath.Dir(cfg.DatabaseURL)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, string(b))
	}
	if len(files) < 2 {
		t.Fatalf("store directory holds %d files, want the database and the key", len(files))
	}
	var secrets []string
	for _, name := range []string{"classic", "restricted"} {
		a := g.sim.Account(name)
		secrets = append(secrets, a.Token, base64.StdEncoding.EncodeToString([]byte(a.Email+":"+a.Token)),
			strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(a.Token)), "="))
	}
	noneContain(t, "the store's files", files, secrets...)
}
