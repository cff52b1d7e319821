package graph

import (
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

func TestSplitCamel(t *testing.T) {
	for in, want := range map[string][]string{
		"RedisPrimaryDown": {"Redis", "Primary", "Down"},
		"HTTPErrorRate":    {"HTTP", "Error", "Rate"},
		"redis":            {"redis"},
		"Kube5xx":          {"Kube", "5", "xx"},
	} {
		if got := splitCamel(in); !slices.Equal(got, want) {
			t.Errorf("splitCamel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExtractSignals(t *testing.T) {
	str := func(s string) *string { return &s }
	s := extractSignals(model.IncidentInput{
		Title:         "RedisPrimaryDown firing on the sessions cluster",
		Description:   str("orders-db-2 refused connections; saw ERR-4031 and HTTP 503 from payment-api"),
		Service:       str("payment-api"),
		AlertName:     str("redis_primary_down"),
		Labels:        []string{"SEV1", "sev1"},
		ErrorMessages: []string{"connection refused"},
	})
	if s.alert != "redis_primary_down" || !slices.Equal(s.alertParts, []string{"redis", "primary", "down"}) {
		t.Errorf("alert = %q %q", s.alert, s.alertParts)
	}
	if !slices.Equal(s.svcWords, []string{"payment", "api"}) {
		t.Errorf("service words = %q", s.svcWords)
	}
	for _, want := range []string{"orders-db-2"} {
		if !slices.Contains(s.hosts, want) {
			t.Errorf("hosts = %q, want %s", s.hosts, want)
		}
	}
	for _, want := range []string{"ERR-4031", "503", "connection refused"} {
		if !slices.Contains(s.errors, want) {
			t.Errorf("errors = %q, want %s", s.errors, want)
		}
	}
	if !slices.Equal(s.labels, []string{"sev1"}) {
		t.Errorf("labels = %q", s.labels)
	}
	for _, w := range []string{"redisprimarydown", "sessions", "cluster"} {
		if !slices.Contains(s.terms, w) {
			t.Errorf("terms = %q, want %s", s.terms, w)
		}
	}
	for _, stop := range []string{"firing", "on", "the"} {
		if slices.Contains(s.terms, stop) {
			t.Errorf("terms = %q hold stop word %s", s.terms, stop)
		}
	}
	if e := extractSignals(model.IncidentInput{Title: "the alert is firing", AlertName: str("TheAlert")}); !e.empty() {
		t.Errorf("stop words only: signals %+v, want empty", e)
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		hit  loaders.SearchHit
		kind model.ContentKind
	}{
		{loaders.SearchHit{Title: "Anything", Labels: []string{"Known-Issue"}}, model.ContentKindKnownIssue},
		{loaders.SearchHit{Title: "PIR-2026-001: outage"}, model.ContentKindPostmortem},
		{loaders.SearchHit{Title: "Postmortem: DNS"}, model.ContentKindPostmortem},
		{loaders.SearchHit{Title: "Vault runbook"}, model.ContentKindRunbook},
		{loaders.SearchHit{Title: "Known issue: x"}, model.ContentKindKnownIssue},
		{loaders.SearchHit{Title: "Sentinel config", Ancestors: []string{"Operations", "Runbooks", "Redis Failover Procedure"}}, model.ContentKindRunbook},
		{loaders.SearchHit{Title: "2025-03 outage", Ancestors: []string{"Post-Incident Reviews"}}, model.ContentKindPostmortem},
		{loaders.SearchHit{Title: "March outage", Type: "blogpost", SpaceName: "Incident Reviews"}, model.ContentKindPostmortem},
		{loaders.SearchHit{Title: "Team lunch"}, model.ContentKindOther},
	}
	for _, tt := range tests {
		if got, why := kindOf(tt.hit); got != tt.kind || why == "" {
			t.Errorf("kindOf(%+v) = %s (%q), want %s", tt.hit, got, why, tt.kind)
		}
	}
}
