package app_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings"
)

// TestFirstQueryAfterConnectCostsAWarmOne runs the reference query (testquery.Nested) through
// the service as serve wires it, right after Connect and then again. The cache TTL is 0, so the
// repeat reads every piece of metadata again and differs from the first only in what the
// process learnt on the way: the first query must need nothing from the site that a warm one
// does not (routing, cloudId and read path are stored at Connect, the read client is pooled
// there), so both cost the same calls, endpoint by endpoint.
func TestFirstQueryAfterConnectCostsAWarmOne(t *testing.T) {
	for _, account := range []string{"classic", "scoped"} {
		t.Run(account, func(t *testing.T) {
			sim := testsupport.StartSim(t, confluencetest.WithDataset("bench"), confluencetest.WithBenchSize(1, 300))
			cfg := testsupport.Config(t, sim.Host(), nil)
			cfg.CacheTTL = 0
			// A generous wait keeps batches whole on a loaded test machine, so call counts are exact.
			cfg.Server.LoaderWait = 100 * time.Millisecond
			a := testsupport.StartService(t, cfg)
			testsupport.Connect(t, a.Settings(), "t1", sim.Host(), sim.Account(account))
			key := testsupport.MustKey(t, a.Store(), "t1", settings.RoleReader)
			space := sim.Spaces()[0].Key

			var runs [2]confluencetest.Stats
			for i := range runs {
				sim.ResetStats()
				postNested(t, a.URL(), key, space)
				runs[i] = sim.Stats()
			}
			if runs[0].Total == 0 {
				t.Fatal("the first query made no upstream call; the cache TTL 0 should make it read")
			}
			if runs[0].Total != runs[1].Total || !maps.Equal(runs[0].ByEndpoint, runs[1].ByEndpoint) {
				t.Errorf("first query after Connect: %d calls %v; warm: %d calls %v; want the same",
					runs[0].Total, runs[0].ByEndpoint, runs[1].Total, runs[1].ByEndpoint)
			}
		})
	}
}

// postNested sends testquery.Nested for space with the API key and fails the test unless it
// is answered with data and no error.
func postNested(t *testing.T, base, apiKey, space string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": testquery.Nested, "variables": map[string]any{"key": space}})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Space struct {
				Pages struct {
					Nodes []json.RawMessage `json:"nodes"`
				} `json:"pages"`
			} `json:"space"`
		} `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 || len(out.Data.Space.Pages.Nodes) != 25 {
		t.Fatalf("status %d, %d errors %s, %d pages; want 200, none, 25", resp.StatusCode, len(out.Errors), out.Errors, len(out.Data.Space.Pages.Nodes))
	}
}
