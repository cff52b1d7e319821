package bench

import (
	"context"
	"errors"
	"net/url"
)

const entitiesGraphQL = `query Entities($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Page { id title author { displayName } } } }`

// Entity is one page resolved by the entity lookup.
type Entity struct {
	ID, Title, Author string
}

func entitiesQuery() *Query {
	return &Query{
		Name:      "entities",
		Title:     "federation `_entities` with 100 Page representations: id, title, author",
		GraphQL:   entitiesGraphQL,
		Depth:     2,
		Floor:     2,
		FloorNote: "one bulk `GET /pages?id=...` (250 ids per call) and one users-bulk",
		api:       entitiesAPI,
		naive:     entitiesNaive,
	}
}

func entitiesAPI(ctx context.Context, a *API, t Targets) (any, error) {
	reps := make([]map[string]any, len(t.EntityIDs))
	for i, id := range t.EntityIDs {
		reps[i] = map[string]any{"__typename": "Page", "id": id}
	}
	var res struct {
		Entities []*struct {
			ID     string   `json:"id"`
			Title  string   `json:"title"`
			Author *gqlUser `json:"author"`
		} `json:"_entities"`
	}
	if err := a.Query(ctx, entitiesGraphQL, map[string]any{"reps": reps}, &res); err != nil {
		return nil, err
	}
	out := make([]Entity, len(res.Entities))
	for i, e := range res.Entities {
		if e == nil {
			return nil, errors.New("bench: entity " + t.EntityIDs[i] + " resolved to null")
		}
		out[i] = Entity{ID: e.ID, Title: e.Title, Author: e.Author.name()}
	}
	return out, nil
}

// entitiesNaive reads each page, then its author.
func entitiesNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	out := make([]Entity, len(t.EntityIDs))
	err := n.each(len(t.EntityIDs), func(i int) error {
		var p v2Page
		if err := n.get(ctx, "/wiki/api/v2/pages/"+t.EntityIDs[i], url.Values{}, &p); err != nil {
			return err
		}
		name, err := n.user(ctx, p.AuthorID)
		out[i] = Entity{ID: p.ID, Title: p.Title, Author: name}
		return err
	})
	return out, err
}
