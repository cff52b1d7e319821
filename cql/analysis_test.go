package cql_test

import (
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

func TestStem(t *testing.T) {
	for _, group := range [][]string{
		{"deploy", "deploys", "deployed", "deploying", "deployment", "deployments", "Deployment"},
		{"failover", "failovers", "Failovers"},
		{"procedure", "procedures"},
		{"outage", "outages"},
		{"redis", "Redis's", "redis\u2019s"},
	} {
		want := cql.Stem(group[0])
		if want == "" {
			t.Fatalf("Stem(%q) is empty", group[0])
		}
		for _, w := range group[1:] {
			if got := cql.Stem(w); got != want {
				t.Errorf("Stem(%q) = %q, want %q (the stem of %q)", w, got, want, group[0])
			}
		}
	}
	for _, w := range []string{"the", "The", "of", "and", "with", "this"} {
		if got := cql.Stem(w); got != "" {
			t.Errorf("Stem(%q) = %q, want \"\" (a stop word)", w, got)
		}
	}
	if cql.Stem("runbook") == cql.Stem("run") {
		t.Errorf("runbook and run share a stem")
	}
}

// stemCorpus holds the inflections the analysis must bring together.
func stemCorpus() []*doc {
	return []*doc{
		{id: "1", typ: "page", space: "OPS", title: "Deployment Runbook: payments-api", text: "Deploying payments-api to production. Follow these procedures in order."},
		{id: "2", typ: "page", space: "OPS", title: "Redis failovers", text: "How the failover of Redis works: sentinel promotes a replica."},
		{id: "3", typ: "page", space: "OPS", title: "Sentinel notes", text: "Redis failover for cache clusters, tested quarterly."},
		{id: "4", typ: "page", space: "OPS", title: "Cache sizing", text: "The failover budget, redis memory and eviction."},
		{id: "5", typ: "blogpost", space: "OPS", title: "The state of the art", text: "Nothing to see."},
	}
}

func TestTextSearchAnalysis(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"query word stemmed to the text's inflection", `text ~ "deployment procedure"`, []string{"1"}},
		{"text word stemmed to the query's inflection", `text ~ "deploy procedures"`, []string{"1"}},
		{"failovers finds failover", `text ~ "failovers"`, []string{"2", "3", "4"}},
		{"stop words are ignored", `text ~ "the deployment of the procedures"`, []string{"1"}},
		{"a search of stop words only matches nothing", `text ~ "the of"`, nil},
		{"its negation matches everything", `text !~ "the of"`, []string{"1", "2", "3", "4", "5"}},
		{"stop words are not indexed", `text ~ "th*"`, nil},
		{"phrase: adjacent, in order, stemmed (2 by its title)", `text ~ "\"redis failovers\""`, []string{"2", "3"}},
		{"phrase: reversed order does not match", `text ~ "\"failover redis\""`, nil},
		{"phrase: a stop word holds its place, which any one word fills", `text ~ "\"failover of redis\""`, []string{"2", "4"}},
		{"phrase: the stop word itself does not matter", `text ~ "\"failover for redis\""`, []string{"2", "4"}},
		{"phrase: the place is exactly one word", `text ~ "\"failover of the redis\""`, nil},
		{"phrase: leading and trailing stop words constrain nothing", `text ~ "\"the failover of\""`, []string{"2", "3", "4"}},
		{"unquoted words need not be adjacent", `text ~ "failover redis"`, []string{"2", "3", "4"}},
		{"title ~ is analysed", `title ~ "deploy runbooks"`, []string{"1"}},
		{"title ~ with stop words only matches nothing", `title ~ "the"`, nil},
		{"title ~ phrase", `title ~ "\"redis failover\""`, []string{"2"}},
		{"siteSearch ~ is analysed", `siteSearch ~ "deploying"`, []string{"1"}},
		{"siteSearch ~ phrase", `siteSearch ~ "\"failover budget\""`, []string{"4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range stemCorpus() {
				ok, err := q.Match(d, env())
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					got = append(got, d.id)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s matches %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
