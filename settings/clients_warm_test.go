package settings_test

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

// TestConnectWarmsTheReadClient: Connect and a token Update pool the read client they
// validated, so the tenant's first read finds it ready with no token decrypt (a key-service
// call with a KMS) and no upstream call; a new credential gets a new client.
func TestConnectWarmsTheReadClient(t *testing.T) {
	counting := &countingSealer{}
	e := newEnv(t, storeKinds()[0], func(c *settings.ServiceConfig) {
		counting.next = c.Sealer
		c.Sealer = counting
	})
	e.mustConnect(t, "acme", "classic")
	e.sim.ResetStats()
	first := e.mustClient(t, "acme")
	if got := counting.decrypts.Load(); got != 0 {
		t.Errorf("decrypts for the first read after Connect = %d; want 0", got)
	}
	if e.tokens.Len() != 1 {
		t.Errorf("token cache entries = %d; want 1 (primed at Connect)", e.tokens.Len())
	}
	if st := e.sim.Stats(); st.Total != 0 {
		t.Errorf("upstream calls to get the client = %d; want 0", st.Total)
	}
	if again := e.mustClient(t, "acme"); again != first {
		t.Errorf("second Client returned another client; want the pooled one")
	}

	a := e.sim.Account("classic")
	res, err := e.svc.Update(t.Context(), "acme", "k", settings.UpdateInput{APIToken: &a.Token})
	if err != nil || !res.OK() {
		t.Fatalf("Update = %v, %v", res.Codes(), err)
	}
	after := e.mustClient(t, "acme")
	if after == first {
		t.Errorf("Client after a token update = the old client; want the new credential's")
	}
	if got := counting.decrypts.Load(); got != 0 {
		t.Errorf("decrypts after the update = %d; want 0", got)
	}
}
