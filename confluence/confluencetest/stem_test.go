package confluencetest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestSearchStemming: text ~, title ~ and siteSearch ~ stem English words and ignore stop
// words, as Confluence's Lucene-based index does, and an exact phrase in inner quotes matches
// only the words next to each other, in order.
func TestSearchStemming(t *testing.T) {
	s, a := demoClassic(t)
	ids := func(t *testing.T, cql string) []string {
		t.Helper()
		got := contentIDs(mustGet(t, searchURL(s, "type = page AND "+cql, "&limit=100"), a).results(t))
		slices.Sort(got)
		return got
	}
	same := func(t *testing.T, want string, others ...string) []string {
		t.Helper()
		w := ids(t, want)
		if len(w) == 0 {
			t.Fatalf("%s matches nothing", want)
		}
		for _, o := range others {
			if got := ids(t, o); !slices.Equal(got, w) {
				t.Errorf("%s = %v, want %v (as %s)", o, got, w, want)
			}
		}
		return w
	}

	t.Run("deployment procedure finds deploying procedures", func(t *testing.T) {
		got := ids(t, `text ~ "deployment procedure"`)
		if !slices.Contains(got, "100301") {
			t.Errorf("text ~ \"deployment procedure\" = %v, want Deployment Runbook: payments-api (100301) among them", got)
		}
	})
	t.Run("inflections match each other", func(t *testing.T) {
		deploy := same(t, `text ~ "deploy"`, `text ~ "deploying"`, `text ~ "deployment"`, `text ~ "deployments"`, `text ~ "DEPLOYED"`)
		if !slices.Contains(deploy, "100003") || !slices.Contains(deploy, "100301") {
			t.Errorf("deploy = %v, want 100003 (Deployment Runbook) and 100301 (\"deploying\")", deploy)
		}
		same(t, `text ~ "failover"`, `text ~ "failovers"`)
		same(t, `text ~ "redis failover procedure"`, `text ~ "Redis failover procedures"`)
		same(t, `text ~ "database outage"`, `text ~ "database outages"`)
	})
	t.Run("stop words are ignored", func(t *testing.T) {
		same(t, `text ~ "failover redis"`, `text ~ "the failover of redis"`, `text ~ "failover for the redis"`)
		r := mustGet(t, searchURL(s, `text ~ "the of and"`, ""), a)
		if r.status != http.StatusOK || len(r.results(t)) != 0 {
			t.Errorf("a search of stop words only: status %d, %d results; want 200 and none", r.status, len(r.results(t)))
		}
	})
	t.Run("exact phrase in inner quotes", func(t *testing.T) {
		words, phrase := ids(t, `text ~ "redis failover"`), ids(t, `text ~ "\"redis failover\""`)
		// Caching Strategy (Redis) says "Redis with Sentinel for failover": both words, not adjacent.
		if !slices.Contains(words, "100023") || slices.Contains(phrase, "100023") {
			t.Errorf("words = %v, phrase = %v: want 100023 in the first only", words, phrase)
		}
		// Service Runbooks says "Database and Redis failover live in ...".
		if !slices.Contains(phrase, "100110") || !slices.Contains(phrase, "100006") {
			t.Errorf("phrase = %v, want 100006 and 100110", phrase)
		}
		if got := ids(t, `text ~ "\"failover redis\""`); slices.Contains(got, "100110") {
			t.Errorf("the reversed phrase matched %v", got)
		}
		// Words in a phrase are stemmed too: 100301 says "These procedures cover deploying".
		if got := ids(t, `text ~ "\"procedure cover deploy\""`); !slices.Equal(got, []string{"100301"}) {
			t.Errorf("stemmed phrase = %v, want [100301]", got)
		}
	})
	t.Run("title ~", func(t *testing.T) {
		got := ids(t, `title ~ "deployments runbooks"`)
		if !slices.Equal(got, []string{"100003", "100301"}) {
			t.Errorf("title ~ \"deployments runbooks\" = %v, want [100003 100301]", got)
		}
		same(t, `title ~ "redis failover"`, `title ~ "the redis failovers"`)
		if got := ids(t, `title ~ "\"database outages\""`); !slices.Equal(got, []string{"100031", "100302"}) {
			t.Errorf("title phrase = %v, want [100031 100302]", got)
		}
	})
	t.Run("siteSearch ~", func(t *testing.T) {
		same(t, `siteSearch ~ "deployment procedure"`, `siteSearch ~ "deploying the procedures"`, `text ~ "deployment procedure"`)
		if got := ids(t, `siteSearch ~ "\"deployment procedures\""`); len(got) != 0 {
			t.Errorf("siteSearch phrase \"deployment procedures\" = %v, want none (no page has the words adjacent)", got)
		}
	})
}

// TestSearchHighlightsStems: the excerpt and row title mark the words the stemmed search
// matched, in the inflection the page uses.
func TestSearchHighlightsStems(t *testing.T) {
	s, a := demoClassic(t)
	rows := mustGet(t, searchURL(s, `type = page AND id = 100301 AND text ~ "deployment procedure"`, ""), a).results(t)
	if len(rows) != 1 {
		t.Fatalf("rows = %d, want 1", len(rows))
	}
	ex := str(rows[0]["excerpt"])
	for _, w := range []string{"@@@hl@@@procedures@@@endhl@@@", "@@@hl@@@deploying@@@endhl@@@"} {
		if !strings.Contains(ex, w) {
			t.Errorf("excerpt %q lacks %q", ex, w)
		}
	}
	if got, want := str(rows[0]["title"]), "@@@hl@@@Deployment@@@endhl@@@ Runbook: payments-api"; got != want {
		t.Errorf("row title = %q, want %q", got, want)
	}
}
