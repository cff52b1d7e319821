package settings_test

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings"
)

// TestConnectDemoAccounts connects each demo account of the simulator and
// checks what is (and is not) stored, on both stores.
func TestConnectDemoAccounts(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {

		t.Run("ClassicTokenConnectsAsClassic", func(t *testing.T) {
			a := e.sim.Account("classic")
			in := e.mustConnect(t, "classic-tenant", "classic")
			if in.Status != settings.StatusConnected || in.TokenType != settings.TokenClassic {
				t.Errorf("status, type = %s, %s; want CONNECTED, CLASSIC", in.Status, in.TokenType)
			}
			if in.AccountID != a.AccountID {
				t.Errorf("AccountID = %q; want %q", in.AccountID, a.AccountID)
			}
			if got, want := in.TokenHint, a.Token[len(a.Token)-4:]; got != want {
				t.Errorf("TokenHint = %q; want %q", got, want)
			}
			if in.EncryptedToken != nil {
				t.Errorf("returned integration carries the encrypted token")
			}
			if in.CredentialVersion != 1 {
				t.Errorf("CredentialVersion = %d; want 1", in.CredentialVersion)
			}
			wantCaps := []string{settings.CapReadMe, settings.CapReadSpaces, settings.CapReadPages, settings.CapSearch,
				settings.CapReadComments, settings.CapReadAttachments, settings.CapReadLabels,
				settings.CapReadVersions, settings.CapReadHierarchy, settings.CapReadAncestors, settings.CapReadFolders, settings.CapReadUsers}
			var gotCaps []string
			for _, c := range in.Capabilities {
				gotCaps = append(gotCaps, c.Name)
				if !c.OK {
					t.Errorf("capability %s not OK: %s", c.Name, c.Detail)
				}
			}
			if !slices.Equal(gotCaps, wantCaps) {
				t.Errorf("capabilities = %v; want %v", gotCaps, wantCaps)
			}
			stored, err := e.store.GetIntegration(t.Context(), "classic-tenant")
			if err != nil {
				t.Fatalf("GetIntegration = %v", err)
			}
			if stored.Domain != e.sim.Host() || stored.Email != a.Email || stored.Status != settings.StatusConnected {
				t.Errorf("stored = %v; want domain %s, email %s, CONNECTED", stored, e.sim.Host(), a.Email)
			}
			if bytes.Contains(stored.EncryptedToken, []byte(a.Token)) {
				t.Errorf("stored encrypted token contains the plaintext token")
			}
			c, err := e.svc.Client(t.Context(), "classic-tenant")
			if err != nil {
				t.Fatalf("Client = %v", err)
			}
			if got := c.TokenType(); got != confluence.TokenClassic {
				t.Errorf("client token type = %s; want classic", got)
			}
			spaces, _, err := c.Spaces.List(t.Context(), nil)
			if err != nil || len(spaces) == 0 {
				t.Errorf("Spaces.List through the tenant client = %d spaces, %v; want some", len(spaces), err)
			}
		})

		t.Run("ScopedTokenConnectsThroughGatewayWithCloudID", func(t *testing.T) {
			in := e.mustConnect(t, "scoped-tenant", "scoped")
			if in.Status != settings.StatusConnected || in.TokenType != settings.TokenScoped {
				t.Errorf("status, type = %s, %s; want CONNECTED, SCOPED", in.Status, in.TokenType)
			}
			if in.CloudID != e.sim.CloudID() {
				t.Errorf("CloudID = %q; want %q", in.CloudID, e.sim.CloudID())
			}
			stored, err := e.store.GetIntegration(t.Context(), "scoped-tenant")
			if err != nil || stored.CloudID != e.sim.CloudID() || stored.TokenType != settings.TokenScoped {
				t.Fatalf("stored = %v, %v; want SCOPED with cloud id %s", stored, err, e.sim.CloudID())
			}
			for _, c := range in.Capabilities {
				if !c.OK || c.RequiredScope == "" {
					t.Errorf("capability %+v; want OK with its scope", c)
				}
			}
			e.sim.ResetStats()
			c, err := e.svc.Client(t.Context(), "scoped-tenant")
			if err != nil {
				t.Fatalf("Client = %v", err)
			}
			if got := c.TokenType(); got != confluence.TokenScoped {
				t.Errorf("client token type = %s; want scoped (gateway)", got)
			}
			if got := c.CloudID(); got != e.sim.CloudID() {
				t.Errorf("client cloud id = %q; want %q", got, e.sim.CloudID())
			}
			if _, _, err := c.Spaces.List(t.Context(), nil); err != nil {
				t.Errorf("Spaces.List through the scoped tenant client = %v", err)
			}
			// The stored cloud id saves the tenant_info lookup, and no
			// request went to the site first.
			if got := e.sim.Stats().ByStatus[401]; got != 0 {
				t.Errorf("site 401s after connect = %d; want 0 (routed straight to the gateway)", got)
			}
		})

		t.Run("ScopedTokenWithoutSearchIsMissingScopesAndNotStored", func(t *testing.T) {
			res := e.connect(t, "nosearch-tenant", "scoped-nosearch")
			if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeMissingScopes}) {
				t.Fatalf("codes = %v; want [MISSING_SCOPES]", codesOf(res))
			}
			ue := userError(res, settings.CodeMissingScopes)
			if !strings.Contains(ue.Message, "search:confluence") {
				t.Errorf("message %q does not name search:confluence", ue.Message)
			}
			if !slices.ContainsFunc(ue.Hints, func(h string) bool { return strings.Contains(h, "search:confluence") }) {
				t.Errorf("hints %q do not name search:confluence", ue.Hints)
			}
			if strings.Contains(ue.Message, settings.ScopeReadPage) {
				t.Errorf("message %q names a scope the token has", ue.Message)
			}
			if res.Integration != nil {
				t.Errorf("Integration = %v; want nil", res.Integration)
			}
			if _, err := e.store.GetIntegration(t.Context(), "nosearch-tenant"); !errors.Is(err, settings.ErrNotFound) {
				t.Errorf("GetIntegration = %v; want ErrNotFound (nothing stored)", err)
			}
		})

		rejected := []struct {
			name         string
			email, token func() string
		}{
			{"WrongTokenIsInvalidCredentials", func() string { return e.sim.Account("classic").Email }, func() string { return "ATATT3xNotARealToken9999" }},
			{"WrongEmailIsInvalidCredentials", func() string { return "someone-else@example.com" }, func() string { return e.sim.Account("classic").Token }},
			{"ScopedTokenWithWrongEmailIsInvalidCredentials", func() string { return "someone-else@example.com" }, func() string { return e.sim.Account("scoped").Token }},
		}
		for _, tc := range rejected {
			t.Run(tc.name, func(t *testing.T) {
				res, err := e.svc.Connect(t.Context(), "bad-"+tc.name, "k", settings.ConnectInput{Domain: e.sim.Host(), Email: tc.email(), APIToken: tc.token()})
				if err != nil {
					t.Fatalf("Connect error = %v", err)
				}
				if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeInvalidCredentials}) {
					t.Fatalf("codes = %v; want [INVALID_CREDENTIALS]", codesOf(res))
				}
				hints := strings.Join(userError(res, settings.CodeInvalidCredentials).Hints, "\n")
				for _, cause := range []string{"email", "expired", "revoked", "another site"} {
					if !strings.Contains(hints, cause) {
						t.Errorf("hints do not mention %q: %s", cause, hints)
					}
				}
				if strings.Contains(hints, tc.token()) {
					t.Errorf("hints contain the token")
				}
				if _, err := e.store.GetIntegration(t.Context(), "bad-"+tc.name); !errors.Is(err, settings.ErrNotFound) {
					t.Errorf("GetIntegration = %v; want ErrNotFound", err)
				}
			})
		}

		t.Run("DomainsRefusedBeforeAnyRequest", func(t *testing.T) {
			a := e.sim.Account("classic")
			for _, tc := range []struct {
				domain string
				want   settings.ErrorCode
			}{
				{"example.com", settings.CodeDomainNotAllowed},
				{"169.254.169.254", settings.CodeDomainNotAllowed},
				{"http://169.254.169.254/latest/meta-data", settings.CodeInvalidDomain},
				{"acme.atlassian.net:8443", settings.CodeInvalidDomain},
				{"user@acme.atlassian.net", settings.CodeInvalidDomain},
			} {
				e.sim.ResetStats()
				res, err := e.svc.Connect(t.Context(), "domain-tenant", "k", settings.ConnectInput{Domain: tc.domain, Email: a.Email, APIToken: a.Token})
				if err != nil {
					t.Fatalf("Connect(%q) error = %v", tc.domain, err)
				}
				if !slices.Equal(codesOf(res), []settings.ErrorCode{tc.want}) {
					t.Errorf("Connect(%q) codes = %v; want [%s]", tc.domain, codesOf(res), tc.want)
				} else if ue := userError(res, tc.want); !slices.ContainsFunc(ue.Hints, func(h string) bool { return strings.Contains(h, ".atlassian.net") }) {
					t.Errorf("Connect(%q) hints = %q; want one showing an .atlassian.net host", tc.domain, ue.Hints)
				} else if slices.Contains(ue.Field, "apiToken") || strings.Contains(ue.Message+strings.Join(ue.Hints, ""), a.Token) {
					t.Errorf("Connect(%q) user error %+v points at or repeats the token", tc.domain, ue)
				}
				if got := e.sim.Stats().Total; got != 0 {
					t.Errorf("Connect(%q) sent %d requests; want 0", tc.domain, got)
				}
			}
			if _, err := e.store.GetIntegration(t.Context(), "domain-tenant"); !errors.Is(err, settings.ErrNotFound) {
				t.Errorf("GetIntegration = %v; want ErrNotFound", err)
			}
		})

		t.Run("BadEmailAndEmptyTokenReportedTogether", func(t *testing.T) {
			res, err := e.svc.Connect(t.Context(), "input-tenant", "k", settings.ConnectInput{Domain: e.sim.Host(), Email: "not an email", APIToken: "  "})
			if err != nil {
				t.Fatal(err)
			}
			if want := []settings.ErrorCode{settings.CodeInvalidEmail, settings.CodeTokenRequired}; !slices.Equal(codesOf(res), want) {
				t.Errorf("codes = %v; want %v", codesOf(res), want)
			}
		})
	})
}

// TestConnectUnreachable covers a site nobody answers for: a closed
// loopback port configured as the development host, and a name under
// atlassian.net that does not resolve (no external network here).
func TestConnectUnreachable(t *testing.T) {
	kind := storeKinds()[0]
	t.Run("ClosedPortIsConnectionTimeout", func(t *testing.T) {
		dead := testsupport.FreePort(t)
		e := newEnv(t, kind, func(c *settings.ServiceConfig) { c.Client = devClient("http://"+dead, dead) })
		a := e.sim.Account("classic")
		res, err := e.svc.Connect(t.Context(), "t", "k", settings.ConnectInput{Domain: dead, Email: a.Email, APIToken: a.Token})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeConnectionTimeout}) {
			t.Fatalf("codes = %v; want [CONNECTION_TIMEOUT]", codesOf(res))
		}
		if hints := strings.Join(userError(res, settings.CodeConnectionTimeout).Hints, " "); !strings.Contains(hints, "Verify your domain") {
			t.Errorf("hints %q lack the verify-your-domain hint", hints)
		}
		if _, err := e.store.GetIntegration(t.Context(), "t"); !errors.Is(err, settings.ErrNotFound) {
			t.Errorf("GetIntegration = %v; want ErrNotFound", err)
		}
	})
	t.Run("UnresolvableSiteIsSiteNotFound", func(t *testing.T) {
		e := newEnv(t, kind, func(c *settings.ServiceConfig) { c.Client = confluence.Options{MaxRetries: -1} })
		res, err := e.svc.Connect(t.Context(), "t", "k", settings.ConnectInput{
			Domain: "cg-no-such-site-7f3a.atlassian.net", Email: "alice@example.com", APIToken: "ATATT3xWhateverToken0001"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeSiteNotFound}) {
			t.Fatalf("codes = %v (%+v); want [SITE_NOT_FOUND]", codesOf(res), res.UserErrors)
		}
		if hints := strings.Join(userError(res, settings.CodeSiteNotFound).Hints, " "); !strings.Contains(hints, "Verify your domain") {
			t.Errorf("hints %q lack the verify-your-domain hint", hints)
		}
		if _, err := e.store.GetIntegration(t.Context(), "t"); !errors.Is(err, settings.ErrNotFound) {
			t.Errorf("GetIntegration = %v; want ErrNotFound", err)
		}
	})
}

// TestTokenNeverStoredInClear greps the stored rows, the audit log and the
// SQLite files for every connected token.
func TestTokenNeverStoredInClear(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		accounts := []string{"classic", "scoped"}
		for _, a := range accounts {
			e.mustConnect(t, "tenant-"+a, a)
			if _, err := e.svc.Test(t.Context(), "tenant-"+a, "k"); err != nil {
				t.Fatal(err)
			}
		}
		e.connect(t, "tenant-scoped-nosearch", "scoped-nosearch") // refused, audited
		for _, a := range append(accounts, "scoped-nosearch") {
			tok := e.sim.Account(a).Token
			if rec, err := e.store.GetIntegration(t.Context(), "tenant-"+a); err == nil {
				if strings.Contains(rec.String(), tok) || bytes.Contains(rec.EncryptedToken, []byte(tok)) {
					t.Errorf("stored row of %s contains its token", a)
				}
				for _, c := range rec.Capabilities {
					if strings.Contains(c.Detail, tok) {
						t.Errorf("capability detail of %s contains its token", a)
					}
				}
				if strings.Contains(rec.LastError, tok) {
					t.Errorf("last error of %s contains its token", a)
				}
			}
			events, err := e.store.ListAudit(t.Context(), "tenant-"+a, settings.AuditListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 {
				t.Errorf("no audit events for tenant-%s", a)
			}
			for _, ev := range events {
				if strings.Contains(ev.Detail, tok) || strings.Contains(ev.Action, tok) {
					t.Errorf("audit event %+v contains the token", ev)
				}
			}
		}
		for _, a := range append(accounts, "scoped-nosearch") {
			if strings.Contains(e.logs.String(), e.sim.Account(a).Token) {
				t.Errorf("service log contains the %s token", a)
			}
		}
		if !strings.Contains(e.logs.String(), "tenant-classic") {
			t.Errorf("service log %q lacks the connect line; the check proves nothing", e.logs.String())
		}
		if e.path == "" {
			return
		}
		email := []byte(e.sim.Account("classic").Email)
		grep := func(name string, b []byte) {
			t.Helper()
			// The grep must be able to fail: the email is in the file.
			if !bytes.Contains(b, email) {
				t.Fatalf("%s does not contain the stored email; the grep proves nothing", name)
			}
			for _, a := range append(accounts, "scoped-nosearch") {
				if bytes.Contains(b, []byte(e.sim.Account(a).Token)) {
					t.Errorf("%s contains the %s token", name, a)
				}
			}
		}
		// While the store is open the writes sit in the WAL (closing
		// checkpoints and deletes it), so grep it first.
		wal, err := os.ReadFile(e.path + "-wal")
		if err != nil {
			t.Fatalf("read the WAL of the open store: %v", err)
		}
		grep("WAL file", wal)
		if err := e.store.Close(); err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(e.path)
		if err != nil {
			t.Fatal(err)
		}
		grep("database file", db)
	})
}
