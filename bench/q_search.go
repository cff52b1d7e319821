package bench

import (
	"context"
	"net/url"
)

const searchGraphQL = `query Search($cql: String!) { search(cql: $cql, first: 25) { nodes { page { id title body { value } } } } }`

// SearchHit is one page found by the search query, with the length of its body (Markdown
// through the API, storage format through the naive client).
type SearchHit struct {
	ID, Title string
	BodyChars int
}

func searchQuery() *Query {
	return &Query{
		Name:      "search",
		Title:     "CQL search for a word, 25 hits, each page's title and body",
		GraphQL:   searchGraphQL,
		Depth:     3,
		Floor:     1,
		FloorNote: "one v1 search with `expand=content.body.storage` (Confluence returns at most 50 rows with bodies)",
		api:       searchAPI,
		naive:     searchNaive,
	}
}

func searchCQL(t Targets) string { return `type = page AND text ~ "` + t.SearchText + `"` }

func searchAPI(ctx context.Context, a *API, t Targets) (any, error) {
	var res struct {
		Search struct {
			Nodes []struct {
				Page *struct {
					ID    string `json:"id"`
					Title string `json:"title"`
					Body  struct {
						Value string `json:"value"`
					} `json:"body"`
				} `json:"page"`
			} `json:"nodes"`
		} `json:"search"`
	}
	if err := a.Query(ctx, searchGraphQL, map[string]any{"cql": searchCQL(t)}, &res); err != nil {
		return nil, err
	}
	var out []SearchHit
	for _, n := range res.Search.Nodes {
		if n.Page != nil {
			out = append(out, SearchHit{ID: n.Page.ID, Title: n.Page.Title, BodyChars: len(n.Page.Body.Value)})
		}
	}
	return out, nil
}

// searchNaive runs the v1 search, then reads each hit's page with its body.
func searchNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	var res struct {
		Results []struct {
			Content *struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"content"`
		} `json:"results"`
	}
	if err := n.get(ctx, "/wiki/rest/api/search", url.Values{"cql": {searchCQL(t)}, "limit": {"25"}}, &res); err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range res.Results {
		if r.Content != nil && r.Content.Type == "page" {
			ids = append(ids, r.Content.ID)
		}
	}
	out := make([]SearchHit, len(ids))
	err := n.each(len(ids), func(i int) error {
		var p v2Page
		if err := n.get(ctx, "/wiki/api/v2/pages/"+ids[i], url.Values{"body-format": {"storage"}}, &p); err != nil {
			return err
		}
		out[i] = SearchHit{ID: p.ID, Title: p.Title, BodyChars: len(p.Body.Storage.Value)}
		return nil
	})
	return out, err
}
