package graph_test

import (
	"strings"
	"testing"
)

// Bodies listed with the versions equal the bodies read one version at a time.
func TestVersionBodiesAgree(t *testing.T) {
	e := demoEnv(t)
	type body struct{ Value string }
	var listed struct {
		Page struct {
			Versions struct {
				Nodes []struct {
					Number int
					Body   body
				}
			}
		}
	}
	e.mustDo(t, `{ page(id: "100008") { versions(first: 5) { nodes { number body { value } } } } }`, &listed)
	var single struct {
		Page struct{ V1, V3, V5 struct{ Body body } }
	}
	e.mustDo(t, `{ page(id: "100008") { v1: version(number: 1) { body { value } } v3: version(number: 3) { body { value } } v5: version(number: 5) { body { value } } } }`, &single)
	vs := listed.Page.Versions.Nodes
	if len(vs) != 5 || vs[0].Number != 5 || vs[4].Number != 1 {
		t.Fatalf("versions = %+v, want 5..1", vs)
	}
	for _, c := range []struct {
		n    int
		want string
	}{{5, single.Page.V5.Body.Value}, {3, single.Page.V3.Body.Value}, {1, single.Page.V1.Body.Value}} {
		if got := vs[5-c.n].Body.Value; got != c.want || got == "" {
			t.Errorf("version %d: listed body %q, single read %q", c.n, got, c.want)
		}
	}
	if !strings.Contains(vs[0].Body.Value, "After failover") || strings.Contains(vs[4].Body.Value, "Switchover") {
		t.Errorf("bodies are not per version: v5 %q / v1 %q", vs[0].Body.Value, vs[4].Body.Value)
	}
}
