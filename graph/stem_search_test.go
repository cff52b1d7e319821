package graph_test

import (
	"slices"
	"testing"
)

// Every CQL of the integration guide's table, and the CQL Annie builds for each of the guide's
// example requests, finds at least one relevant page on the demo dataset. Several only because
// the search is stemmed as Confluence's is: "deployment procedure" is found on a page that says
// "deploying" and "procedures", "Redis failover procedures" on "Redis Failover Procedure",
// "database outages" on "Primary database outage".
func TestGuideSearchesFindAPage(t *testing.T) {
	e := demoEnv(t)
	tests := []struct{ request, cql, want string }{
		{"recent pages", `type = page AND lastModified >= now('-7d')`, "Deployment Runbook"},
		{"pages in a space", `space = OPS AND type = page`, "Redis Failover Procedure"},
		{"runbooks", `label = runbook AND type = page`, "Database Failover"},
		{"deployment docs", `text ~ "deployment procedure"`, "Deployment Runbook: payments-api"},
		{"Search Confluence for the deployment runbook", `type = page AND text ~ "the deployment runbook"`, "Deployment Runbook"},
		{"Find documentation about Redis failover procedures", `type = page AND text ~ "Redis failover procedures"`, "Redis Failover Procedure"},
		{"What does the architecture page say about the payment service?", `type = page AND title ~ "architecture" AND text ~ "the payment service"`, "Payment Service Architecture"},
		{"Search for post-incident reviews related to database outages", `type = page AND text ~ "post-incident reviews database outages"`, "PIR-2026-009: Orders database outages during storage migration"},
		{"... the same by label", `type = page AND label = postmortem AND text ~ "database outages"`, "PIR-2026-014: Primary database outage"},
	}
	for _, tt := range tests {
		t.Run(tt.request, func(t *testing.T) {
			var r struct{ Search searchResp }
			e.mustDo(t, `query($q: String!) { search(cql: $q, first: 50) { nodes { type title } totalCount } }`, &r, varQ(tt.cql))
			got := titles(r.Search)
			if len(got) == 0 || !slices.Contains(got, tt.want) {
				t.Errorf("search(cql: %s) = %q, want %q among the hits", tt.cql, got, tt.want)
			}
			if r.Search.TotalCount < len(got) {
				t.Errorf("totalCount = %d, below the %d hits returned", r.Search.TotalCount, len(got))
			}
		})
	}

	// The guide's text example finds the payments runbook by its inflected words only: the
	// exact phrase (inner quotes) is on no page, and the page's title holds one of the words.
	var r struct{ Words, Phrase, Title searchResp }
	e.mustDo(t, `{ words: search(cql: "text ~ \"deployment procedure\"") { nodes { title } }
	  phrase: search(cql: "text ~ \"\\\"deployment procedure\\\"\"") { nodes { title } }
	  title: search(cql: "title ~ \"deployments\" AND text ~ \"procedures\"") { nodes { title } } }`, &r)
	if got := titles(r.Words); len(got) == 0 || got[0] != "Deployment Runbook: payments-api" {
		t.Errorf(`text ~ "deployment procedure" = %q, want Deployment Runbook: payments-api first`, got)
	}
	if got := titles(r.Phrase); len(got) != 0 {
		t.Errorf(`the exact phrase = %q, want no hit`, got)
	}
	if got := titles(r.Title); !slices.Equal(got, []string{"Deployment Runbook: payments-api"}) {
		t.Errorf(`title ~ "deployments" AND text ~ "procedures" = %q, want only the payments runbook`, got)
	}
}
