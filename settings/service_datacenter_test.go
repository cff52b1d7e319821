package settings_test

import (
	"errors"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/settings"
)

// newDCEnv is newEnv with a Data Center simulator (at /confluence) as the development host.
func newDCEnv(t *testing.T, kind storeKind, opts ...envOption) *env {
	t.Helper()
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithFlavor(confluencetest.FlavorDataCenter))
	t.Cleanup(sim.Close)
	store, path := kind.open(t)
	ks, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{sim: sim, store: store, path: path, drops: &dropRecorder{},
		tokens: envelope.NewCache(envelope.CacheOptions{}), sealer: envelope.New(ks), logs: &syncbuf.Buffer{}}
	cfg := settings.ServiceConfig{Store: store, Sealer: e.sealer, TokenCache: e.tokens,
		Client: devClient(sim.URL(), sim.Host()), TenantCaches: []settings.TenantCache{e.drops},
		Logger: slog.New(slog.NewTextHandler(e.logs, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	e.svc = mustService(t, cfg)
	return e
}

func (e *env) connectDC(t *testing.T, tenant, base, pat string) settings.Result {
	t.Helper()
	res, err := e.svc.Connect(t.Context(), tenant, "key-"+tenant, settings.ConnectInput{
		Deployment: settings.DeploymentDataCenter, BaseURL: base, APIToken: pat})
	if err != nil {
		t.Fatalf("Connect(data center) error = %v", err)
	}
	return res
}

// TestConnectDataCenter: a PAT at the base URL is validated through the v1 routes, stored with
// the deployment, base URL and version, and read back from both stores; the read client is a
// Data Center one on the v1 read path, and Test re-validates it.
func TestConnectDataCenter(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind.name, func(t *testing.T) { connectDataCenter(t, newDCEnv(t, kind)) })
	}
}

func connectDataCenter(t *testing.T, e *env) {
	{
		pat := e.sim.Account("classic").Token
		res := e.connectDC(t, "t1", e.sim.BaseURL()+"/", pat)
		if !res.OK() {
			t.Fatalf("connect = %+v", res.UserErrors)
		}
		in := res.Integration
		if in.Deployment != settings.DeploymentDataCenter || in.BaseURL != e.sim.BaseURL() || in.ServerVersion != confluencetest.DataCenterVersion ||
			in.TokenType != settings.TokenClassic || in.ReadPath != settings.ReadPathV1 || in.Domain != e.sim.Host() || in.Email != e.sim.Username(e.sim.Account("classic").AccountID) ||
			in.AccountID != confluencetest.UserKey(e.sim.Account("classic").AccountID) || in.Status != settings.StatusConnected {
			t.Fatalf("stored = %+v", in)
		}
		got, err := e.svc.Get(t.Context(), "t1")
		if err != nil || got.Deployment != in.Deployment || got.BaseURL != in.BaseURL || got.ServerVersion != in.ServerVersion {
			t.Fatalf("Get = %+v, %v", got, err)
		}
		rc, err := e.svc.ReadClient(t.Context(), "t1")
		if err != nil || !rc.Client.DataCenter() || rc.ReadPath != settings.ReadPathV1 {
			t.Fatalf("ReadClient = %+v, %v", rc, err)
		}
		if tr, err := e.svc.Test(t.Context(), "t1", "key-t1"); err != nil || !tr.OK() {
			t.Fatalf("Test = %+v, %v", tr.UserErrors, err)
		}
		if strings.Contains(e.logs.String(), pat) {
			t.Error("the PAT reached the logs")
		}
	}
}

// TestConnectDataCenterBadInput: every mistake is a user error naming the fix, nothing stored.
func TestConnectDataCenterBadInput(t *testing.T) {
	kind := storeKinds()[0]
	e := newDCEnv(t, kind)
	pat := e.sim.Account("classic").Token
	tls := httptest.NewTLSServer(e.sim.Handler())
	t.Cleanup(tls.Close)
	tlsHosts, _ := confluence.ParseHostAllowList([]string{"127.0.0.1"})
	eTLS := newDCEnv(t, kind, func(c *settings.ServiceConfig) {
		c.DataCenterHosts = tlsHosts
		c.Client.AllowedDevHost, c.Client.GatewayURL = "", ""
	})
	cases := []struct {
		name     string
		e        *env
		in       settings.ConnectInput
		code     settings.ErrorCode
		mentions string
	}{
		{"a Cloud site as Data Center", e, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: "https://acme.atlassian.net/wiki", APIToken: pat},
			settings.CodeDomainNotAllowed, "CLOUD"},
		{"a Data Center as Cloud", e, settings.ConnectInput{Domain: "wiki.corp.example", Email: "a@corp.example", APIToken: pat},
			settings.CodeDomainNotAllowed, "DATA_CENTER"},
		{"a Data Center base URL as Cloud", e, settings.ConnectInput{Domain: "https://wiki.corp.example/confluence", Email: "a@corp.example", APIToken: pat},
			settings.CodeInvalidDomain, "DATA_CENTER"},
		{"an expired PAT", e, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: e.sim.BaseURL(), APIToken: "expired-personal-access-token"},
			settings.CodeInvalidCredentials, "Personal Access Tokens"},
		{"a base URL without the context path", e, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: e.sim.URL(), APIToken: pat},
			settings.CodeSiteNotFound, "context path"},
		{"a host not on the operator's list", e, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: "https://wiki.corp.example/confluence", APIToken: pat},
			settings.CodeDomainNotAllowed, "--allow-datacenter-host"},
		{"plain http", e, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: "http://wiki.corp.example/confluence", APIToken: pat},
			settings.CodeDomainNotAllowed, "HTTPS"},
		{"a self-signed certificate without a CA bundle", eTLS, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: tls.URL + "/confluence", APIToken: pat},
			settings.CodeConnectionTimeout, "--datacenter-ca-file"},
		{"no token", e, settings.ConnectInput{Deployment: settings.DeploymentDataCenter, BaseURL: e.sim.BaseURL()},
			settings.CodeTokenRequired, "Personal Access Tokens"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := c.e.svc.Connect(t.Context(), "bad", "key", c.in)
			if err != nil {
				t.Fatal(err)
			}
			ue := userError(res, c.code)
			text := ue.Message + " " + strings.Join(ue.Hints, " ")
			if res.OK() || ue.Code != c.code || !strings.Contains(text, c.mentions) {
				t.Fatalf("result = %+v; want %s mentioning %q", res.UserErrors, c.code, c.mentions)
			}
			if _, err := c.e.svc.Get(t.Context(), "bad"); !errors.Is(err, settings.ErrNotConnected) {
				t.Fatalf("something was stored: %v", err)
			}
		})
	}
}
