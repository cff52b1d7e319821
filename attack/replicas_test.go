package attack_test

import (
	"context"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/settings"
)

// replicas starts two services on one simulator sharing one store (the same SQLite file and
// master key), as two replicas behind a load balancer.
func replicas(t *testing.T) (a, b *target) {
	t.Helper()
	a = start(t)
	shared := a.app.Config()
	b = startAt(t, a.sim, a.host, func(c *app.Config) {
		c.DatabaseURL, c.LocalKeyFile = shared.DatabaseURL, shared.LocalKeyFile
	})
	return a, b
}

// secQuery reads the home page of SEC, a space the classic account sees and the restricted one
// does not.
const secQuery = `{ page(id: "100050") { title } }`

// A disconnect on replica A is seen by replica B's next request, although B holds the pages in
// its own cache; a reconnect on A with another account's token is seen too: B serves nothing it
// cached under the old credential.
func TestDisconnectSeenByAnotherReplica(t *testing.T) {
	a, b := replicas(t)
	a.connect(t, "acme", "classic")
	key := a.key(t, "acme", settings.RoleReader)
	first := b.post(t, key, secQuery, nil)
	title, _ := first.field("page")["title"].(string)
	if title == "" {
		t.Fatalf("B's first read: %.300s, want the SEC page", first.Raw)
	}
	b.sim.ResetStats()
	if got := b.post(t, key, secQuery, nil); got.field("page")["title"] != title || b.sim.Stats().Total != 0 {
		t.Fatalf("B's second read: %.300s with %d calls, want the page from B's cache", got.Raw, b.sim.Stats().Total)
	}

	if got := a.post(t, a.key(t, "acme", settings.RoleAdmin), `mutation { disconnectConfluence { disconnected } }`, nil); got.field("disconnectConfluence")["disconnected"] != true {
		t.Fatalf("disconnect on A: %.300s", got.Raw)
	}
	got := b.post(t, key, secQuery, nil)
	if got.codeAt("page") != "NOT_CONNECTED" || got.Data["page"] != nil {
		t.Errorf("B after A's disconnect: %.300s, want NOT_CONNECTED without the cached page", got.Raw)
	}
	body := b.post(t, key, `{ page(id: "100050") { body { value } } }`, nil)
	if body.codeAt("page") != "NOT_CONNECTED" {
		t.Errorf("B's body read after A's disconnect: %.300s, want NOT_CONNECTED", body.Raw)
	}

	a.connect(t, "acme", "restricted")
	b.sim.ResetStats()
	got = b.post(t, key, secQuery, nil)
	if got.Data["page"] != nil || got.codeAt("page") == "" {
		t.Errorf("B after A reconnected with a token that cannot see SEC: %.300s, want no page (not the cached one)", got.Raw)
	}
	if b.sim.Stats().Total == 0 {
		t.Errorf("B answered from its cache after the credential changed, want a read with the new token")
	}
}

// Light version of racing settings writes (the settings package has the thorough one):
// connect, test and disconnect racing on two replicas never fail the service, and afterwards
// both replicas agree with the stored record on every read.
func TestRacingSettingsWritesAcrossReplicas(t *testing.T) {
	a, b := replicas(t)
	admin := a.key(t, "acme", settings.RoleAdmin)
	ops := []string{
		`mutation($h: String!) { connectConfluence(input: { domain: $h, email: "alice@example.com", apiToken: "ATATT3xDemoClassicAlice0001" }) { userErrors { code } } }`,
		`mutation { testConfluenceConnection { userErrors { code } } }`,
		`mutation { disconnectConfluence { disconnected } }`,
	}
	var wg sync.WaitGroup
	for i := range 12 {
		g := []*target{a, b}[i%2]
		wg.Go(func() {
			got := g.post(t, admin, ops[i%len(ops)], map[string]any{"h": g.host})
			if len(got.Errors) != 0 {
				t.Errorf("racing mutation %d: %.300s, want no GraphQL error", i, got.Raw)
			}
		})
	}
	wg.Wait()
	_, err := a.app.Settings().Get(context.Background(), "acme")
	connected := err == nil
	for _, g := range []*target{a, b} {
		got := g.post(t, admin, pageQuery, nil)
		if ok := got.field("page")["title"] == "Deployment Runbook"; ok != connected || (!connected && got.codeAt("page") != "NOT_CONNECTED") {
			t.Errorf("after the race (stored record connected: %t) a read answers %.300s", connected, got.Raw)
		}
	}
}
