package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Federation entity resolvers: one call per entity type with every representation. Results
// keep the order of reps; an entity that fails gets null and an error at _entities[i] without
// failing the others (graphql.BatchErrorList).

func findPages(ctx context.Context, reps []*model.PageRepresentation) ([]*model.Page, error) {
	ids := make([]string, len(reps))
	for i, r := range reps {
		if r.ID != nil {
			ids[i] = *r.ID
		}
	}
	return findContent(ctx, loaders.KindPage, ids)
}

// findContent resolves the page (or blog post, by kind) entities ids in one bulk read.
func findContent(ctx context.Context, kind loaders.ContentKind, ids []string) ([]*model.Page, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	ps, errs := readContent(ctx, kind, ids)
	out := make([]*model.Page, len(ids))
	failed := false
	for i := range ids {
		if errs[i] != nil {
			failed = true
			continue
		}
		out[i] = ps[i]
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}

func findSpaces(ctx context.Context, reps []*model.SpaceRepresentation) ([]*model.Space, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	l := loaders.For(ctx)
	n := len(reps)
	out := make([]*model.Space, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, rep := range reps {
		wg.Go(func() {
			var (
				s   *loaders.Space
				err error
			)
			switch {
			case rep.ID != nil && *rep.ID != "":
				s, err = l.SpaceByID(ctx, *rep.ID)
			case rep.Key != nil && *rep.Key != "":
				s, err = l.SpaceByKey(ctx, *rep.Key)
			default:
				err = inputErrorf("representations", "a Space representation needs id or key")
			}
			out[i], errs[i] = s, err
		})
	}
	wg.Wait()
	failed := false
	for i := range errs {
		if errs[i] != nil {
			out[i], failed = nil, true
		}
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}
