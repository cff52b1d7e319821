package bench

import (
	"context"
	"net/url"
	"strconv"
)

const diffGraphQL = `query Diff($id: ID!) { page(id: $id) { title
  diff { from { number } to { number } linesAdded linesRemoved unified } } }`

// Diff names the two versions a diff compared.
type Diff struct {
	From, To int
}

func diffQuery() *Query {
	return &Query{
		Name:      "diff",
		Title:     "a page's diff between its previous and current version",
		GraphQL:   diffGraphQL,
		Depth:     2,
		Floor:     2,
		FloorNote: "the current page with its body (which names the current version), then the previous version with its body",
		api:       diffAPI,
		naive:     diffNaive,
	}
}

func diffAPI(ctx context.Context, a *API, t Targets) (any, error) {
	var res struct {
		Page *struct {
			Diff struct {
				From struct {
					Number int `json:"number"`
				} `json:"from"`
				To struct {
					Number int `json:"number"`
				} `json:"to"`
			} `json:"diff"`
		} `json:"page"`
	}
	if err := a.Query(ctx, diffGraphQL, map[string]any{"id": t.DiffPage}, &res); err != nil {
		return nil, err
	}
	if res.Page == nil {
		return nil, errNotFound("page " + t.DiffPage)
	}
	return Diff{From: res.Page.Diff.From.Number, To: res.Page.Diff.To.Number}, nil
}

// diffNaive reads the current page with its body, then the previous version's body; comparing
// the two is left to the agent (no call).
func diffNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	var cur v2Page
	if err := n.get(ctx, "/wiki/api/v2/pages/"+t.DiffPage, url.Values{"body-format": {"storage"}}, &cur); err != nil {
		return nil, err
	}
	prev := cur.Version.Number - 1
	var old v2Page
	q := url.Values{"body-format": {"storage"}, "version": {strconv.Itoa(prev)}}
	if err := n.get(ctx, "/wiki/api/v2/pages/"+t.DiffPage, q, &old); err != nil {
		return nil, err
	}
	return Diff{From: prev, To: cur.Version.Number}, nil
}
