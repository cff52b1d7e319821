package settings_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/settings"
)

func strp(s string) *string { return &s }

func TestUpdate(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		before := e.mustConnect(t, "acme", "classic")
		scoped := e.sim.Account("scoped")

		cases := []struct {
			name string
			in   settings.UpdateInput
			want []settings.ErrorCode
		}{
			{"DomainChangeNeedsToken", settings.UpdateInput{Domain: strp("acme.atlassian.net")}, []settings.ErrorCode{settings.CodeTokenRequired}},
			{"EmailChangeNeedsToken", settings.UpdateInput{Email: strp(scoped.Email)}, []settings.ErrorCode{settings.CodeTokenRequired}},
			{"BadDomainRefused", settings.UpdateInput{Domain: strp("169.254.169.254"), APIToken: strp(scoped.Token)}, []settings.ErrorCode{settings.CodeDomainNotAllowed}},
			{"WrongTokenRefused", settings.UpdateInput{APIToken: strp("ATATT3xNotARealToken9999")}, []settings.ErrorCode{settings.CodeInvalidCredentials}},
			{"TokenOfAnotherAccountRefused", settings.UpdateInput{APIToken: strp(scoped.Token)}, []settings.ErrorCode{settings.CodeInvalidCredentials}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, err := e.svc.Update(ctx, "acme", "k", tc.in)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(codesOf(res), tc.want) {
					t.Errorf("codes = %v; want %v", codesOf(res), tc.want)
				}
				if res.Integration != nil {
					t.Errorf("Integration = %v; want nil on failure", res.Integration)
				}
				got, err := e.store.GetIntegration(ctx, "acme")
				if err != nil {
					t.Fatal(err)
				}
				if got.CredentialVersion != before.CredentialVersion || got.Email != before.Email || got.TokenType != before.TokenType {
					t.Errorf("stored after failed update = %v; want unchanged %v", got, before)
				}
			})
		}

		t.Run("NoChangeWritesNothing", func(t *testing.T) {
			res, err := e.svc.Update(ctx, "acme", "k", settings.UpdateInput{Email: strp(before.Email)})
			if err != nil || !res.OK() || res.Integration == nil {
				t.Fatalf("Update(same email) = %+v, %v; want the stored integration", res, err)
			}
			if res.Integration.CredentialVersion != before.CredentialVersion {
				t.Errorf("version = %d; want %d", res.Integration.CredentialVersion, before.CredentialVersion)
			}
		})

		t.Run("NewEmailAndTokenSwitchToScoped", func(t *testing.T) {
			c1 := e.mustClient(t, "acme")
			drops := e.drops.count("acme")
			res, err := e.svc.Update(ctx, "acme", "k", settings.UpdateInput{Email: strp(scoped.Email), APIToken: strp(scoped.Token)})
			if err != nil || !res.OK() {
				t.Fatalf("Update = %+v, %v; want success", res.UserErrors, err)
			}
			in := res.Integration
			if in.TokenType != settings.TokenScoped || in.CloudID != e.sim.CloudID() || in.Email != scoped.Email {
				t.Errorf("updated = %v; want SCOPED, cloud id, new email", in)
			}
			if in.CredentialVersion != before.CredentialVersion+1 {
				t.Errorf("CredentialVersion = %d; want %d", in.CredentialVersion, before.CredentialVersion+1)
			}
			if !in.CreatedAt.Equal(before.CreatedAt) {
				t.Errorf("CreatedAt = %v; want kept %v", in.CreatedAt, before.CreatedAt)
			}
			if got := e.drops.count("acme"); got != drops+1 {
				t.Errorf("tenant cache drops = %d; want %d (credential changed)", got, drops+1)
			}
			c2 := e.mustClient(t, "acme")
			if c1 == c2 {
				t.Errorf("Client after a credential change is the old pooled client")
			}
		})
	})
}

func TestUpdateAndTestWithoutIntegration(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	res, err := e.svc.Update(t.Context(), "nobody", "k", settings.UpdateInput{APIToken: strp("x")})
	if err != nil || !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeNotConnected}) {
		t.Errorf("Update = %v, %v; want [NOT_CONNECTED]", codesOf(res), err)
	}
	res, err = e.svc.Test(t.Context(), "nobody", "k")
	if err != nil || !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeNotConnected}) || res.Integration != nil {
		t.Errorf("Test = %+v, %v; want [NOT_CONNECTED] and no integration", res, err)
	}
}

func TestTestRevalidates(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		before := e.mustConnect(t, "acme", "classic")

		res, err := e.svc.Test(ctx, "acme", "k")
		if err != nil || !res.OK() {
			t.Fatalf("Test = %+v, %v; want success", res.UserErrors, err)
		}
		if res.Integration.Status != settings.StatusConnected || !res.Integration.LastValidatedAt.After(before.LastValidatedAt.Add(-1)) {
			t.Errorf("after Test = %v (validated %v); want CONNECTED", res.Integration, res.Integration.LastValidatedAt)
		}

		e.sim.RevokeToken(e.sim.Account("classic").Email)
		res, err = e.svc.Test(ctx, "acme", "k")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeInvalidCredentials}) {
			t.Fatalf("codes after revocation = %v; want [INVALID_CREDENTIALS]", codesOf(res))
		}
		stored, err := e.store.GetIntegration(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if stored.Status != settings.StatusInvalidCredentials || stored.LastError == "" {
			t.Errorf("stored status, last error = %s, %q; want INVALID_CREDENTIALS and a message", stored.Status, stored.LastError)
		}
		if stored.CredentialVersion != before.CredentialVersion {
			t.Errorf("Test changed the credential version: %d; want %d", stored.CredentialVersion, before.CredentialVersion)
		}
		got, err := e.svc.Get(ctx, "acme")
		if err != nil || got.Status != settings.StatusInvalidCredentials || got.EncryptedToken != nil {
			t.Errorf("Get = %v, %v; want INVALID_CREDENTIALS without the encrypted token", got, err)
		}
	})
}

// TestDisconnectDropsEverything: after Disconnect the tenant has no client,
// no cached token, its TenantCaches were told, and a reconnect builds a new
// client.
func TestDisconnectDropsEverything(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.mustConnect(t, "acme", "classic")
		c1 := e.mustClient(t, "acme")
		if again, _ := e.svc.Client(ctx, "acme"); again != c1 {
			t.Errorf("second Client call built a new client; want the pooled one")
		}
		if e.tokens.Len() != 1 {
			t.Fatalf("token cache holds %d entries; want 1", e.tokens.Len())
		}
		drops := e.drops.count("acme")

		done, err := e.svc.Disconnect(ctx, "acme", "admin-key")
		if err != nil || !done {
			t.Fatalf("Disconnect = %t, %v; want true, nil", done, err)
		}
		if _, err := e.svc.Client(ctx, "acme"); !errors.Is(err, settings.ErrNotConnected) {
			t.Errorf("Client after Disconnect = %v; want ErrNotConnected", err)
		}
		if _, err := e.svc.Get(ctx, "acme"); !errors.Is(err, settings.ErrNotConnected) {
			t.Errorf("Get after Disconnect = %v; want ErrNotConnected", err)
		}
		if n := e.tokens.Len(); n != 0 {
			t.Errorf("token cache holds %d entries after Disconnect; want 0", n)
		}
		if got := e.drops.count("acme"); got != drops+1 {
			t.Errorf("tenant cache drops = %d; want %d", got, drops+1)
		}
		done, err = e.svc.Disconnect(ctx, "acme", "admin-key")
		if err != nil || done {
			t.Errorf("second Disconnect = %t, %v; want false, nil", done, err)
		}

		e.mustConnect(t, "acme", "classic")
		c2 := e.mustClient(t, "acme")
		if c2 == c1 {
			t.Errorf("Client after reconnect is the client of the deleted credential")
		}
	})
}

func TestTenantIsolation(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.mustConnect(t, "tenant-a", "classic")

		if _, err := e.svc.Get(ctx, "tenant-b"); !errors.Is(err, settings.ErrNotConnected) {
			t.Errorf("Get(B) = %v; want ErrNotConnected", err)
		}
		if _, err := e.svc.Client(ctx, "tenant-b"); !errors.Is(err, settings.ErrNotConnected) {
			t.Errorf("Client(B) = %v; want ErrNotConnected", err)
		}
		if res, _ := e.svc.Test(ctx, "tenant-b", "kb"); res.Integration != nil || !hasCode(res, settings.CodeNotConnected) {
			t.Errorf("Test(B) = %+v; want NOT_CONNECTED and nothing of A", res)
		}
		if res, _ := e.svc.Update(ctx, "tenant-b", "kb", settings.UpdateInput{Email: strp("x@example.com")}); res.Integration != nil || !hasCode(res, settings.CodeNotConnected) {
			t.Errorf("Update(B) = %+v; want NOT_CONNECTED", res)
		}
		if done, err := e.svc.Disconnect(ctx, "tenant-b", "kb"); done || err != nil {
			t.Errorf("Disconnect(B) = %t, %v; want false, nil", done, err)
		}
		if _, err := e.svc.Client(ctx, "tenant-a"); err != nil {
			t.Errorf("Client(A) after B's calls = %v; want A untouched", err)
		}
		if e.drops.count("tenant-a") != 1 { // only A's own connect
			t.Errorf("tenant-a cache drops = %d; want 1 (B's disconnect must not drop A)", e.drops.count("tenant-a"))
		}
		evB, err := e.store.ListAudit(ctx, "tenant-b", settings.AuditListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evB {
			if ev.TenantID != "tenant-b" || ev.ActorKeyID != "kb" || strings.Contains(ev.Detail, e.sim.Host()) {
				t.Errorf("B's audit event %+v mentions A's integration", ev)
			}
		}
		if len(evB) != 3 {
			t.Errorf("B has %d audit events; want 3 (test, update, disconnect)", len(evB))
		}
	})
}

// TestAuditTrail checks one event per action with actor, outcome and a
// secret-free detail.
func TestAuditTrail(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		classic, scoped := e.sim.Account("classic"), e.sim.Account("scoped")
		e.mustConnect(t, "acme", "classic")                                                                                         // success
		e.connect(t, "acme", "scoped-nosearch")                                                                                     // failure
		_, _ = e.svc.Update(ctx, "acme", "key-acme", settings.UpdateInput{Email: strp(scoped.Email), APIToken: strp(scoped.Token)}) // success
		_, _ = e.svc.Update(ctx, "acme", "key-acme", settings.UpdateInput{Domain: strp("example.com")})                             // failure
		_, _ = e.svc.Test(ctx, "acme", "key-acme")                                                                                  // success
		_, _ = e.svc.Disconnect(ctx, "acme", "key-acme")                                                                            // success

		events, err := e.store.ListAudit(ctx, "acme", settings.AuditListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		type ev struct{ action, outcome string }
		want := []ev{
			{settings.ActionConnect, settings.OutcomeSuccess},
			{settings.ActionConnect, settings.OutcomeFailure},
			{settings.ActionUpdate, settings.OutcomeSuccess},
			{settings.ActionUpdate, settings.OutcomeFailure},
			{settings.ActionTest, settings.OutcomeSuccess},
			{settings.ActionDisconnect, settings.OutcomeSuccess},
		}
		var got []ev
		for _, x := range events {
			got = append(got, ev{x.Action, x.Outcome})
			if x.ActorKeyID != "key-acme" {
				t.Errorf("event %s actor = %q; want key-acme", x.Action, x.ActorKeyID)
			}
			if x.At.IsZero() {
				t.Errorf("event %s has no time", x.Action)
			}
			for _, tok := range []string{classic.Token, scoped.Token, e.sim.Account("scoped-nosearch").Token} {
				if strings.Contains(x.Detail, tok) {
					t.Errorf("event %s detail contains a token", x.Action)
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit = %v; want %v", got, want)
		}
		if len(events) > 1 && !strings.Contains(events[1].Detail, "MISSING_SCOPES") || !strings.Contains(events[1].Detail, "search:confluence") {
			t.Errorf("failed connect detail = %q; want the code and the missing scope", events[1].Detail)
		}
	})
}

// TestConcurrentClientColdMiss: many first requests of one tenant share one
// decrypt and one pooled client. The tenant is connected through another
// service over the same store (another replica, or before a restart), so
// this one's pool is cold.
func TestConcurrentClientColdMiss(t *testing.T) {
	counting := &countingSealer{}
	var cfg settings.ServiceConfig
	connector := newEnv(t, storeKinds()[0], func(c *settings.ServiceConfig) {
		counting.next = c.Sealer
		c.Sealer = counting
		cfg = *c
	})
	connector.mustConnect(t, "acme", "classic")
	e := *connector
	e.tokens = envelope.NewCache(envelope.CacheOptions{})
	cfg.TokenCache = e.tokens
	e.svc = mustService(t, cfg)
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	var mu sync.Mutex
	seen := map[any]int{}
	for i := range n {
		wg.Go(func() {
			c, err := e.svc.Client(t.Context(), "acme")
			errs[i] = err
			mu.Lock()
			seen[c]++
			mu.Unlock()
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Client #%d = %v", i, err)
		}
	}
	c, _ := e.svc.Client(t.Context(), "acme")
	if seen[c] == 0 {
		t.Errorf("the pooled client was never handed out")
	}
	if e.tokens.Len() != 1 {
		t.Errorf("token cache entries = %d; want 1", e.tokens.Len())
	}
	if got := counting.decrypts.Load(); got != 1 {
		t.Errorf("decrypts for %d concurrent cold Client calls = %d; want 1", n, got)
	}
}

// countingSealer counts the decrypts that reach the real envelope.
type countingSealer struct {
	next     settings.Sealer
	decrypts atomic.Int64
}

func (c *countingSealer) Encrypt(ctx context.Context, p []byte, ec envelope.Context) ([]byte, error) {
	return c.next.Encrypt(ctx, p, ec)
}

func (c *countingSealer) Decrypt(ctx context.Context, b []byte, ec envelope.Context) ([]byte, error) {
	c.decrypts.Add(1)
	return c.next.Decrypt(ctx, b, ec)
}

// TestTestScopedGoesStraightToGateway: re-validating a stored scoped
// credential uses its stored type and cloud id, so the site host never sees
// the token (no site 401, no tenant_info lookup).
func TestTestScopedGoesStraightToGateway(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "scoped")
	e.sim.ResetStats()
	res, err := e.svc.Test(t.Context(), "acme", "k")
	if err != nil || !res.OK() || res.Integration.Status != settings.StatusConnected || res.Integration.TokenType != settings.TokenScoped {
		t.Fatalf("Test = %+v, %v; want CONNECTED SCOPED", res, err)
	}
	st := e.sim.Stats()
	if st.ByStatus[401] != 0 || e.sim.Count("GET /_edge/tenant_info") != 0 {
		t.Errorf("Test made %d 401s and %d tenant_info calls; want 0 and 0 (stats %v)", st.ByStatus[401], e.sim.Count("GET /_edge/tenant_info"), st.ByEndpoint)
	}
	if st.Total == 0 {
		t.Errorf("Test sent no request; want a re-validation")
	}
}

// TestRestrictedAccountConnects: an account that cannot see every space is
// still a working credential.
func TestRestrictedAccountConnects(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	in := e.mustConnect(t, "acme", "restricted")
	if in.Status != settings.StatusConnected || in.AccountID != e.sim.Account("restricted").AccountID {
		t.Errorf("restricted connect = %v; want CONNECTED as the restricted account", in)
	}
}

// TestConcurrentConnectsLastWriteWinsWhole races connects of three demo
// accounts (classic, scoped, restricted) to one tenant, with reads in
// between. The stored record, its sealed token and the pooled client must
// all belong to one account: never the email of one with the token, token
// type or account of another.
func TestConcurrentConnectsLastWriteWinsWhole(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		accounts := []string{"classic", "scoped", "restricted"}
		type want struct {
			name, token, accountID string
			tokenType              settings.TokenType
		}
		byEmail := map[string]want{}
		for _, name := range accounts {
			a := e.sim.Account(name)
			tt := settings.TokenClassic
			if name == "scoped" {
				tt = settings.TokenScoped
			}
			byEmail[a.Email] = want{name: name, token: a.Token, accountID: a.AccountID, tokenType: tt}
		}

		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 9 {
			name := accounts[i%len(accounts)]
			wg.Go(func() {
				a := e.sim.Account(name)
				res, err := e.svc.Connect(ctx, "acme", "k", settings.ConnectInput{Domain: e.sim.Host(), Email: a.Email, APIToken: a.Token})
				if err != nil || !res.OK() {
					errs <- fmt.Errorf("Connect(%s) = %v, %v", name, res.Codes(), err)
				}
			})
			wg.Go(func() {
				if _, err := e.svc.Client(ctx, "acme"); err != nil && !errors.Is(err, settings.ErrNotConnected) {
					errs <- fmt.Errorf("Client during connects = %v", err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}

		rec, err := e.store.GetIntegration(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		w, ok := byEmail[rec.Email]
		if !ok {
			t.Fatalf("stored email %q is none of the accounts", rec.Email)
		}
		if rec.AccountID != w.accountID || rec.TokenType != w.tokenType || rec.TokenHint != w.token[len(w.token)-4:] {
			t.Errorf("stored record mixes writes: email of %s with account %q, type %s, hint %q",
				w.name, rec.AccountID, rec.TokenType, rec.TokenHint)
		}
		token, err := e.sealer.Decrypt(ctx, rec.EncryptedToken, settings.TokenContext("acme"))
		if err != nil {
			t.Fatal(err)
		}
		if string(token) != w.token {
			t.Errorf("stored sealed token is not the token of %s, whose email is stored", w.name)
		}
		if rec.CredentialVersion != 9 {
			t.Errorf("CredentialVersion = %d; want 9 (each connect a new envelope)", rec.CredentialVersion)
		}
		c := e.mustClient(t, "acme")
		u, _, err := c.Users.Current(ctx)
		if err != nil {
			t.Fatalf("current user through the pooled client: %v", err)
		}
		if u.AccountID != w.accountID {
			t.Errorf("pooled client reads as %q; want %q, the stored account (%s)", u.AccountID, w.accountID, w.name)
		}
	})
}
