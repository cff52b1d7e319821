package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Federation entity resolvers: one call per entity type with every representation. Results
// keep the order of reps; an entity that fails gets null and an error at _entities[i] without
// failing the others (graphql.BatchErrorList).

func findPages(ctx context.Context, reps []*model.PageByIDsInput) ([]*model.Page, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	ids := make([]string, len(reps))
	for i, r := range reps {
		ids[i] = r.ID
	}
	ps, errs := loaders.For(ctx).Pages(ctx, ids)
	out := make([]*model.Page, len(reps))
	failed := false
	for i := range reps {
		if errs[i] != nil {
			failed = true
			continue
		}
		out[i] = toPage(ps[i])
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}

func findSpaces(ctx context.Context, n int, get func(i int) (*loaders.Space, error)) ([]*model.Space, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	out := make([]*model.Space, n)
	errs := make([]error, n)
	failed := false
	done := make(chan int)
	for i := range n {
		go func() {
			s, err := get(i)
			out[i], errs[i] = toSpace(s), err
			done <- i
		}()
	}
	for range n {
		if i := <-done; errs[i] != nil {
			out[i] = nil
			failed = true
		}
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}

func findSpacesByID(ctx context.Context, reps []*model.SpaceByIDsInput) ([]*model.Space, error) {
	l := loaders.For(ctx)
	return findSpaces(ctx, len(reps), func(i int) (*loaders.Space, error) { return l.SpaceByID(ctx, reps[i].ID) })
}

func findSpacesByKey(ctx context.Context, reps []*model.SpaceByKeysInput) ([]*model.Space, error) {
	l := loaders.For(ctx)
	return findSpaces(ctx, len(reps), func(i int) (*loaders.Space, error) { return l.SpaceByKey(ctx, reps[i].Key) })
}
