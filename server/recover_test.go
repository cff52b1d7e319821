package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// panickingIntegrations panics in every method: a resolver that panics.
type panickingIntegrations struct{ graph.Integrations }

func (panickingIntegrations) Get(context.Context, string) (*graph.Integration, error) {
	panic("integration store exploded")
}

// A panic in a resolver is answered as INTERNAL and logged, with its request id, through
// Config.Logger (not slog.Default), where the access log and the presenter's lines go.
func TestResolverPanicIsLoggedThroughTheServerLogger(t *testing.T) {
	e := newEnv(t, server.Config{Schema: graph.New(graph.Deps{Integrations: panickingIntegrations{}})})
	key := e.key("acme", settings.RoleReader)
	req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql",
		strings.NewReader(`{"query":"{ confluenceIntegration { domain } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set(server.RequestIDHeader, "panic-1")
	got := e.do(req)
	if got.code() != graph.CodeInternal || strings.Contains(got.Raw, "exploded") {
		t.Errorf("answer = %s, want INTERNAL without the panic value", got.Raw)
	}
	var line string
	for l := range strings.SplitSeq(e.logs.String(), "\n") {
		if strings.Contains(l, "panic in resolver") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("no panic line in the server log:\n%s", e.logs.String())
	}
	for _, want := range []string{`"request_id":"panic-1"`, "integration store exploded"} {
		if !strings.Contains(line, want) {
			t.Errorf("panic line %s lacks %s", line, want)
		}
	}
}
