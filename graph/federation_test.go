package graph_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

func TestFederationService(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Service struct{ Sdl string } `json:"_service"`
	}
	e.mustDo(t, `{ _service { sdl } }`, &r)
	sdl := r.Service.Sdl
	if n := strings.Count(sdl, `@link(url: "https://specs.apollo.dev/federation/v2.`); n != 1 {
		t.Errorf("federation @link count = %d, want 1", n)
	}
	for _, want := range []string{`type Page implements Content @key(fields: "id")`, `type Space @key(fields: "id") @key(fields: "key")`, `type PageInfo @shareable`, "type Query {"} {
		if !strings.Contains(sdl, want) {
			t.Errorf("sdl lacks %q", want)
		}
	}
}

func TestFederationEntities(t *testing.T) {
	e := demoEnv(t)
	reps := []map[string]any{
		{"__typename": "Page", "id": "100021"},
		{"__typename": "Space", "key": "PIR"},
		{"__typename": "Page", "id": "424242"},
		{"__typename": "Page", "id": "100003"},
		{"__typename": "Space", "id": "98305"},
	}
	e.sim.ResetStats()
	var r struct {
		Entities []*struct {
			Typename string `json:"__typename"`
			ID       string
			Title    string
			Key      string
		} `json:"_entities"`
	}
	errs := e.do(t, `query($r: [_Any!]!) { _entities(representations: $r) {
	  __typename ... on Page { id title } ... on Space { id key } } }`, &r, client.Var("r", reps))
	if len(r.Entities) != 5 {
		t.Fatalf("entities = %d, want 5", len(r.Entities))
	}
	got := func(i int) string {
		if r.Entities[i] == nil {
			return "null"
		}
		return r.Entities[i].Typename + ":" + r.Entities[i].ID + r.Entities[i].Key
	}
	want := []string{"Page:100021", "Space:98307PIR", "null", "Page:100003", "Space:98305OPS"}
	for i := range want {
		if got(i) != want[i] {
			t.Errorf("_entities[%d] = %s, want %s", i, got(i), want[i])
		}
	}
	if len(errs) != 1 || codeOf(errs[0]) != "NOT_FOUND" || len(errs[0].Path) != 2 || errs[0].Path[1] != float64(2) {
		t.Errorf("errors = %+v, want one NOT_FOUND at _entities[2]", errs)
	}
	// Three pages in one bulk call, two spaces (by key and by id) in at most two.
	st := e.sim.Stats()
	if st.ByEndpoint["GET /wiki/api/v2/pages"] != 1 || st.ByEndpoint["GET /wiki/api/v2/spaces"] > 2 || st.Total > 3 {
		t.Errorf("upstream calls = %v, want one page call and at most two space calls", st.ByEndpoint)
	}
}

// A representation without its key fields or of an unknown type is the router's input error
// (BAD_USER_INPUT), not a masked INTERNAL. (gqlgen's generated code refuses the whole group of
// that type; the other types' entities still resolve.)
func TestFederationMalformedRepresentations(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Entities []*struct {
			ID  string
			Key string
		} `json:"_entities"`
	}
	errs := e.do(t, `{ _entities(representations: [{__typename: "Page"}, {__typename: "Space", key: "OPS"}, {__typename: "Nope", id: "1"}]) {
	  ... on Page { id } ... on Space { key } } }`, &r)
	if len(r.Entities) != 3 || r.Entities[1] == nil || r.Entities[1].Key != "OPS" || r.Entities[0] != nil || r.Entities[2] != nil {
		t.Errorf("entities = %+v, want null, OPS, null", r.Entities)
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %+v, want two", errs)
	}
	for _, ge := range errs {
		if codeOf(ge) != "BAD_USER_INPUT" || !strings.Contains(ge.Message, "key fields") {
			t.Errorf("error = %s %q, want BAD_USER_INPUT naming the key fields", codeOf(ge), ge.Message)
		}
	}
}
