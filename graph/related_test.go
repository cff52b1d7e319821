package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

const relatedQuery = `query($in: IncidentInput!, $first: Int, $kinds: [ContentKind!]) {
  related(incident: $in, first: $first, kinds: $kinds) {
    queries signals
    nodes { score kind excerpt reasons { signal detail } content { id title } }
  } }`

type relatedResp struct {
	Related struct {
		Queries []string
		Signals []string
		Nodes   []struct {
			Score   float64
			Kind    string
			Excerpt string
			Reasons []struct{ Signal, Detail string }
			Content struct {
				ID, Title string
				Body      *struct{ Value string }
			}
		}
	}
}

func (r relatedResp) titles() []string {
	var out []string
	for _, n := range r.Related.Nodes {
		out = append(out, n.Content.Title)
	}
	return out
}

func TestRelatedDebug(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r relatedResp
	e.mustDo(t, relatedQuery, &r, client.Var("in", map[string]any{
		"title": "RedisPrimaryDown alert firing on sessions cluster", "alertName": "RedisPrimaryDown", "service": "sessions"}))
	b, _ := json.MarshalIndent(r, "", "  ")
	t.Logf("%s\ncalls %d", b, e.sim.Stats().Total)
	t.Log(strings.Join(r.titles(), "\n"))
}
