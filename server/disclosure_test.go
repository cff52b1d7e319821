package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// With introspection off, no validation message may name a field, argument
// or enum value the caller did not write: gqlgen's SetDisableSuggestion
// covers fields only, the presenter covers the rest.
func TestNoSuggestionsWithoutIntrospection(t *testing.T) {
	typos := []string{
		`{ space(kye: "A") { id } }`,                 // argument
		`{ spaces(type: GLOBALL) { nodes { id } } }`, // enum value
		`{ spaec(key: "A") { id } }`,                 // field
	}
	off := newEnv(t, server.Config{})
	offKey := off.key("acme", settings.RoleReader)
	on := newEnv(t, server.Config{Introspection: true})
	onKey := on.key("acme", settings.RoleReader)
	for _, q := range typos {
		if got := off.post(offKey, q, nil); got.code() != "GRAPHQL_VALIDATION_FAILED" || strings.Contains(got.Raw, "Did you mean") {
			t.Errorf("introspection off, %s: want a validation error without suggestions, got %.300s", q, got.Raw)
		}
	}
	// The suggestion is kept where introspection is on (the schema is public there).
	if got := on.post(onKey, typos[0], nil); !strings.Contains(got.Raw, `Did you mean \"key\"?`) {
		t.Errorf("introspection on: want the argument suggestion, got %.300s", got.Raw)
	}
}

// _service asked beside __schema or __type while introspection is off is
// refused cleanly (INTROSPECTION_DISABLED on both fields), not INTERNAL with
// an ERROR log; _service alone still answers.
func TestServiceWithIntrospectionFieldsRefusedCleanly(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)
	for _, q := range []string{
		`{ _service { sdl } __schema { types { name } } }`,
		`{ _service { sdl } __type(name: "Page") { name } }`,
	} {
		got := e.post(key, q, nil)
		if len(got.Errors) != 2 {
			t.Fatalf("%s: want 2 errors, got %.400s", q, got.Raw)
		}
		for _, er := range got.Errors {
			if code, _ := er.Extensions["code"].(string); code != server.CodeIntrospectionDisabled {
				t.Errorf("%s: error %q has code %q, want %s", q, er.Message, code, server.CodeIntrospectionDisabled)
			}
		}
	}
	if got := e.post(key, `{ _service { sdl } }`, nil); len(got.Errors) != 0 || !strings.Contains(got.Raw, "@key") {
		t.Errorf("_service alone: want the SDL, got %.300s", got.Raw)
	}
	if logs := e.logs.String(); strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("a refused introspection logged an ERROR: %s", logs)
	}
}

// A persisted query registered by one tenant is unknown to another.
func TestPersistedQueriesPerTenant(t *testing.T) {
	e := newEnv(t, server.Config{})
	a := e.key("acme", settings.RoleReader)
	b := e.key("globex", settings.RoleReader)
	const q = `{ __typename }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	if got := e.postBody(a, map[string]any{"query": q, "extensions": ext}); len(got.Errors) != 0 {
		t.Fatalf("registering: %.300s", got.Raw)
	}
	if got := e.postBody(a, map[string]any{"extensions": ext}); len(got.Errors) != 0 {
		t.Fatalf("same tenant by hash: want the answer, got %.300s", got.Raw)
	}
	if got := e.postBody(b, map[string]any{"extensions": ext}); !strings.Contains(got.Raw, "PersistedQueryNotFound") {
		t.Fatalf("another tenant by hash: want PersistedQueryNotFound, got %.300s", got.Raw)
	}
}
