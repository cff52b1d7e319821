package loaders_test

import (
	"context"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// TestV1UpstreamDataCenterUsers: on Data Center users are read one by one, by user key or
// username (no bulk route), each returned under the id it was asked by; unknown ones are
// absent; one call per distinct id.
func TestV1UpstreamDataCenterUsers(t *testing.T) {
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithFlavor(confluencetest.FlavorDataCenter))
	defer sim.Close()
	acct := sim.Account("classic")
	c, err := confluence.NewClient(confluence.Options{AllowedDevHost: sim.Host(), MaxRetries: -1, RateLimit: -1,
		DataCenter: &confluence.DataCenterOptions{BaseURL: sim.BaseURL(), PAT: acct.Token}})
	if err != nil {
		t.Fatal(err)
	}
	up := loaders.NewV1Upstream(c)
	key, name := confluencetest.UserKey(acct.AccountID), sim.Username(acct.AccountID)
	sim.ResetStats()
	us, err := up.Users(context.Background(), []string{key, name, key, "ffffffffffffffffffffffffffffffff", "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].AccountID != key || us[1].AccountID != name || us[0].DisplayName == nil || *us[0].DisplayName != *us[1].DisplayName {
		t.Fatalf("users = %+v", us)
	}
	if st := sim.Stats(); st.Total != 4 || st.ByEndpoint["GET /wiki/rest/api/user"] != 4 {
		t.Fatalf("calls = %+v, want 4 user reads", st.ByEndpoint)
	}
}
