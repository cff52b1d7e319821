package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// The corpus benchmark meets its targets and beats both baselines; the report renders them.
func TestCorrelationTargets(t *testing.T) {
	if testing.Short() {
		if os.Getenv("CI") == "true" {
			t.Fatal("-short must not skip the corpus benchmark's targets in CI")
		}
		t.Skip("starts the service against the corpus")
	}
	scores, err := evaluate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rel := scores[0]
	if rel.Method.Name != "related" {
		t.Fatalf("first method = %s, want related", rel.Method.Name)
	}
	t.Logf("\n%s", markdown(scores))
	if rel.Recall < targetRecall || rel.MRR < targetMRR {
		t.Errorf("related: recall@%d %.2f, MRR %.2f; want >= %.1f and >= %.1f", cutoff, rel.Recall, rel.MRR, targetRecall, targetMRR)
	}
	if rel.Calls > 4 {
		t.Errorf("related: %.1f upstream calls per incident, want at most 4", rel.Calls)
	}
	for _, b := range scores[1:] {
		if b.Recall >= rel.Recall || b.MRR >= rel.MRR {
			t.Errorf("baseline %s: recall %.2f, MRR %.2f; related (%.2f, %.2f) must be ahead", b.Method.Name, b.Recall, b.MRR, rel.Recall, rel.MRR)
		}
	}
	if md := markdown(scores); !strings.HasPrefix(md, sectionBegin) || !strings.HasSuffix(md, sectionEnd+"\n") {
		t.Errorf("section lacks its markers:\n%s", md)
	}
}

// Every wanted page exists in the corpus, and every incident wants at least one.
func TestCorpusIsConsistent(t *testing.T) {
	ids := map[string]bool{}
	for _, p := range pages {
		if ids[p.id] {
			t.Errorf("page id %s twice", p.id)
		}
		ids[p.id] = true
	}
	if len(incidents) < 30 {
		t.Errorf("%d incidents, want at least 30", len(incidents))
	}
	for _, in := range incidents {
		if len(in.want) == 0 {
			t.Errorf("%q wants no page", in.Title)
		}
		for _, w := range in.want {
			if !ids[w] {
				t.Errorf("%q wants page %s, which is not in the corpus", in.Title, w)
			}
		}
	}
}

func TestJudge(t *testing.T) {
	r, rr := judge([]string{"a", "b", "c", "d", "e", "f"}, []string{"b", "f"})
	if r != 0.5 || rr != 0.5 {
		t.Errorf("judge = %v, %v; want 0.5, 0.5", r, rr)
	}
	if r, rr := judge(nil, []string{"x"}); r != 0 || rr != 0 {
		t.Errorf("judge(nil) = %v, %v", r, rr)
	}
}
